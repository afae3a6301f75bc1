package billswitch;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.BillSwitchApplication.Command;
import billswitch.catalog.Catalog;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.StubUpstream;
import billswitch.support.StubUpstream.Paid;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code reconcile} command's arguments, and its work against the real database (in this test's application, as
 * CatalogImportCommandTest): a report file settles what it proves and exits 1 while cases are open, the same file
 * again changes nothing, a day pulled without a file, bad input exits 2 with nothing done.
 */
class ReconcileCommandTest extends IntegrationTest {
    @Autowired
    ConfigurableApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @TempDir
    Path dir;

    private record Out(int exit, String stdout, String stderr) {
    }

    private Out run(List<String> args) throws Exception {
        ReconcileCommand command = ReconcileCommand.of(args);
        byte[] file = command.file() == null ? null : Files.readAllBytes(command.file());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = command.run(context, file);
            return new Out(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theArgumentsAreNamedOptionsAndSettings() {
        assertThat(BillSwitchApplication.command(new String[] {"reconcile", "--connector", "eko-main", "--date", "2026-12-06"}))
                .isEqualTo(Command.RECONCILE);
        assertThat(BillSwitchApplication.command(new String[] {"reconcile", "--connector=eko-main", "--date=2026-12-06",
                "--file", "r.csv", "--spring.profiles.active=sandbox"})).isEqualTo(Command.RECONCILE);
        ReconcileCommand command = ReconcileCommand.of(List.of("--connector", "eko-main", "--date", "2026-12-06", "--file",
                "r.csv", "--server.port=1"));
        assertThat(command.connector()).isEqualTo("eko-main");
        assertThat(command.date()).isEqualTo("2026-12-06");
        assertThat(command.file()).isEqualTo(Path.of("r.csv"));
        assertThat(command.settings()).containsExactly("--server.port=1");
        for (String[] args : new String[][] {{"reconcile"}, {"reconcile", "--connector", "x"}, {"reconcile", "--date", "2026-12-06"},
                {"reconcile", "--connector", "x", "--date"}, {"reconcile", "--connector", "x", "--date", "2026-12-06", "extra"},
                {"reconcile", "--connector", "x", "--connector", "y", "--date", "2026-12-06"}}) {
            assertThat(BillSwitchApplication.command(args)).as(String.join(" ", args)).isEqualTo(Command.REFUSED);
            assertThat(BillSwitchApplication.refusal(args)).as(String.join(" ", args))
                    .contains("Usage: reconcile --connector NAME --date YYYY-MM-DD [--file REPORT]");
        }
        assertThat(BillSwitchApplication.usage()).contains("reconcile --connector NAME --date YYYY-MM-DD [--file REPORT]");
    }

    @Test
    void aReportFileSettlesWhatItProvesTheSameFileAgainChangesNothingAndBadInputDoesNothing() throws Exception {
        String today = LocalDate.now(ZoneId.of("Asia/Kolkata")).toString();
        try (StubUpstream upstream = StubUpstream.start(port, jdbc, catalog)) {
            NativeClient client = newPartner(1_000_000);
            Paid unknown = upstream.pay(client, "9876560001", "500");
            Paid paid = upstream.pay(client, "9876560002", "SUCCESS");
            assertThat(unknown.status()).isEqualTo("UNKNOWN");
            Path report = dir.resolve("report.csv");
            Files.writeString(report, "ref,reference,amount,status,time\n"
                    + "UP-1," + unknown.reference() + ",100.00,SUCCESS,09:00\n"
                    + "UP-2," + paid.reference() + ",100.00,FAILED,09:01\n");
            List<String> args = List.of("--connector", upstream.connector, "--date", today, "--file", report.toString());

            Out done = run(args);
            assertThat(done.exit()).as(done.stdout() + done.stderr()).isEqualTo(1);
            assertThat(done.stdout()).contains("Reconciled " + upstream.connector, "STATUS_MISMATCH", paid.orderId())
                    .containsPattern("\"settled\" ?: 1");
            assertThat(upstream.status(unknown.orderId())).isEqualTo("SUCCESS");
            assertThat(upstream.transfers(unknown, "POST_PENDING")).isEqualTo(1);
            assertThat(admin().get("/admin/audit?action=reconciliation.run").body()).contains("command-line");

            long transfers = upstream.transfers(unknown);
            long available = client.availableInr();
            Out again = run(args);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.stdout()).contains("reconciled before", "nothing was changed");
            assertThat(upstream.transfers(unknown)).isEqualTo(transfers);
            assertThat(client.availableInr()).isEqualTo(available);

            // without --file: pulled through the status enquiries; both agree now, so nothing is left for a person
            upstream.answersStatus(unknown.reference(), "SUCCESS");
            upstream.answersStatus(paid.reference(), "SUCCESS");
            Out pulled = run(List.of("--connector", upstream.connector, "--date", today));
            assertThat(pulled.exit()).as(pulled.stdout() + pulled.stderr()).isZero();
            assertThat(pulled.stdout()).contains("PULL").containsPattern("\"matched\" ?: 2");

            Out ghost = run(List.of("--connector", "ghost-" + upstream.tag, "--date", today));
            assertThat(ghost.exit()).isEqualTo(2);
            assertThat(ghost.stderr()).contains("refused, nothing was done", "connector");
            Out badDate = run(List.of("--connector", upstream.connector, "--date", "06-12-2026"));
            assertThat(badDate.exit()).isEqualTo(2);
            assertThat(badDate.stderr()).contains("--date", "06-12-2026");
            Path bad = dir.resolve("bad.csv");
            Files.writeString(bad, "ref,reference,amount,status,time\nUP-1," + unknown.reference() + ",100.00,PAID,09:00\n");
            Out badFile = run(List.of("--connector", upstream.connector, "--date", today, "--file", bad.toString()));
            assertThat(badFile.exit()).isEqualTo(2);
            assertThat(badFile.stderr()).contains("line 2", "PAID");
        }
    }
}
