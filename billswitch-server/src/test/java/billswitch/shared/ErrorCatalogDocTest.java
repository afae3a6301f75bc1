package billswitch.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's error table documents every code of the catalog with its HTTP status. */
class ErrorCatalogDocTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeIsDocumentedWithItsStatus(ErrorCode code) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("| `" + code.name() + "` | " + code.httpStatus() + " | " + code.defaultMessage() + " |");
    }
}
