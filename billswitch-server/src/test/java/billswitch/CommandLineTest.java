package billswitch;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.BillSwitchApplication.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the jar's arguments ask for, and a usage that names every setting application.yml reads from the environment. */
class CommandLineTest {

    @Test
    void noArgumentsOrOnlySettingsStartTheServer() {
        assertThat(BillSwitchApplication.command(new String[0])).isEqualTo(Command.SERVER);
        assertThat(BillSwitchApplication.command(new String[] {"--spring.profiles.active=sandbox", "--server.port=9090"}))
                .isEqualTo(Command.SERVER);
    }

    @Test
    void helpInEveryForm() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {"--server.port=1", "--help"}, {"verify", "-h"}}) {
            assertThat(BillSwitchApplication.command(args)).as(String.join(" ", args)).isEqualTo(Command.HELP);
        }
    }

    @Test
    void verifyTakesSettingsToo() {
        assertThat(BillSwitchApplication.command(new String[] {"verify"})).isEqualTo(Command.VERIFY);
        assertThat(BillSwitchApplication.command(new String[] {"verify", "--spring.profiles.active=sandbox"}))
                .isEqualTo(Command.VERIFY);
    }

    @Test
    void catalogImportTakesOneFileAndDryRun() {
        assertThat(BillSwitchApplication.command(new String[] {"catalog-import", "catalog.json"})).isEqualTo(Command.CATALOG_IMPORT);
        assertThat(BillSwitchApplication.command(new String[] {"catalog-import", "catalog.json", "--dry-run",
                "--spring.profiles.active=sandbox"})).isEqualTo(Command.CATALOG_IMPORT);
        CatalogImportCommand command = CatalogImportCommand.of(java.util.List.of("c.json", "--dry-run", "--server.port=1"));
        assertThat(command.file()).isEqualTo(Path.of("c.json"));
        assertThat(command.dryRun()).isTrue();
        assertThat(command.settings()).containsExactly("--server.port=1");
        for (String[] args : new String[][] {{"catalog-import"}, {"catalog-import", "a.json", "b.json"},
                {"catalog-import", "a.json", "-n"}}) {
            assertThat(BillSwitchApplication.command(args)).as(String.join(" ", args)).isEqualTo(Command.REFUSED);
            assertThat(BillSwitchApplication.refusal(args)).as(String.join(" ", args)).contains("Usage: catalog-import FILE");
        }
        assertThat(BillSwitchApplication.usage()).contains("catalog-import FILE [--dry-run]");
    }

    @Test
    void anUnknownCommandOrAJvmOptionAfterTheJarStartsNoServer() {
        assertThat(BillSwitchApplication.command(new String[] {"serve"})).isEqualTo(Command.REFUSED);
        assertThat(BillSwitchApplication.refusal(new String[] {"serve"})).contains("unknown command 'serve'");
        assertThat(BillSwitchApplication.command(new String[] {"-Dserver.port=9090"})).isEqualTo(Command.REFUSED);
        assertThat(BillSwitchApplication.refusal(new String[] {"-Dserver.port=9090"})).contains("go before -jar");
        assertThat(BillSwitchApplication.command(new String[] {"--server.port=1", "sandbox"})).isEqualTo(Command.REFUSED);
        assertThat(BillSwitchApplication.command(new String[] {"verify", "now"})).isEqualTo(Command.REFUSED);
        assertThat(BillSwitchApplication.command(new String[] {"--"})).isEqualTo(Command.REFUSED);
    }

    @Test
    void theUsageNamesEverySettingTheConfigurationReadsFromTheEnvironment() throws IOException {
        String yml = Files.readString(Path.of("billswitch-server/src/main/resources/application.yml"));
        Matcher env = Pattern.compile("\\$\\{(BILLSWITCH_[A-Z_]+)").matcher(yml);
        int found = 0;
        while (env.find()) {
            assertThat(BillSwitchApplication.usage()).contains(env.group(1));
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(6);
        assertThat(BillSwitchApplication.usage()).contains("verify", "--spring.profiles.active=sandbox", "--server.port");
    }
}
