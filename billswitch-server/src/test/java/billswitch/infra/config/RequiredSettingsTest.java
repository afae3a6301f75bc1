package billswitch.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A database URL's options= would silently replace the session settings BillSwitch sets: refused at start. */
class RequiredSettingsTest {

    private static MockEnvironment sandboxOn(String url) {
        return new MockEnvironment().withProperty("billswitch.sandbox.enabled", "true")
                .withProperty("billswitch.sandbox.allow-external-database", "true").withProperty("billswitch.db.url", url);
    }

    @Test
    void aDatabaseUrlWithOptionsIsRefusedWithAClearMessage() {
        int without = RequiredSettings.problems(sandboxOn("jdbc:postgresql://db:5432/bs?ssl=true")).size();
        assertThat(RequiredSettings.problems(sandboxOn("jdbc:postgresql://db:5432/bs?ssl=true")))
                .noneMatch(p -> p.contains("options="));
        assertThat(RequiredSettings.problems(sandboxOn("jdbc:postgresql://db:5432/bs?options=-c%20synchronous_commit=off")))
                .hasSize(without + 1)
                .anySatisfy(p -> assertThat(p).contains("options=").contains("synchronous_commit=on").contains("ALTER ROLE"));
        assertThat(RequiredSettings.problems(sandboxOn("jdbc:postgresql://db:5432/bs?ssl=true&OPTIONS=-c%20x=y")))
                .hasSize(without + 1);
    }
}
