package billswitch;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code catalog-import} command's work against the real database (in this test's application, not a second
 * process): an exported file with a change is imported (the dry run first changes nothing), a refused file exits 1
 * naming the place of each error.
 */
class CatalogImportCommandTest extends IntegrationTest {
    @Autowired
    ConfigurableApplicationContext context;

    private record Out(int exit, String stdout, String stderr) {
    }

    private Out run(List<String> args, byte[] file) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = CatalogImportCommand.of(args).run(context, file);
            return new Out(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anExportedFileIsImportedAndABadOneRefusedByPlace() {
        String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin().post("/admin/operators", """
                {"id":"%s","name":"Cli Water","categoryId":"water","kind":"UTILITY","country":"IN","currency":"INR",
                 "fetchOption":"OPTIONAL","exactness":"EXACT","minAmountMinor":100,"maxAmountMinor":100000,
                 "params":[{"name":"utility_acc_no","label":"Consumer","type":"Numeric","account":true}]}""".formatted(id))
                .status()).isEqualTo(201);
        String export = admin().get("/admin/catalog/export").body();
        byte[] edited = export.replace("\"name\":\"Cli Water\"", "\"name\":\"Cli Water Imported\"")
                .getBytes(StandardCharsets.UTF_8);

        Out dry = run(List.of("catalog.json", "--dry-run"), edited);
        assertThat(dry.exit()).isZero();
        assertThat(dry.stdout()).contains("Dry run", id, "\"name\"");
        assertThat(admin().get("/admin/operators/" + id).json().get("name").stringValue()).isEqualTo("Cli Water");

        Out done = run(List.of("catalog.json"), edited);
        assertThat(done.exit()).as(done.stderr()).isZero();
        assertThat(done.stdout()).contains("Imported", id);
        assertThat(admin().get("/admin/operators/" + id).json().get("name").stringValue()).isEqualTo("Cli Water Imported");
        assertThat(admin().get("/admin/audit?action=catalog.import").json().toString()).contains("command-line");

        Out bad = run(List.of("bad.json"), """
                {"format":"billswitch-catalog/1","categories":[],"locations":[],"operators":[{"name":"No Id"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.stderr()).contains("operators[0].id");
        assertThat(admin().get("/admin/operators/" + id).json().get("enabled").booleanValue()).isTrue();
    }
}
