package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.it.ReadmeExamples.Example;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The README's "Going live" runs as written: a fresh server outside sandbox mode (an empty database, a master key,
 * an admin token; the admin API on its own port, 8082 in the README) is given a connector, a catalog, a route and a partner through the admin API, and takes a first
 * payment through a real upstream: a second BillSwitch process, in sandbox mode, where our switch is a partner.
 * Each command is checked as {@link ReadmeExamplesIT} checks the rest of the README; then the upstream must hold
 * exactly that payment, under the reference of the attempt our switch sent.
 */
class GoingLiveIT {
    private static final String ADMIN_TOKEN = "going-live-admin-token-0123456789";

    @Test
    void aFreshServerOutsideSandboxModeTakesAFirstPaymentThroughARealUpstream() throws Exception {
        Path repo = Path.of(System.getProperty("billswitch.repo", ".")).toAbsolutePath().normalize();
        List<Example> examples = ReadmeExamples.section(Files.readString(repo.resolve("README.md")), ReadmeExamples.GOING_LIVE);
        assertThat(examples).as("the Going live commands").hasSizeGreaterThan(8);
        Path dir = Files.createTempDirectory("billswitch-going-live");
        Path out = Files.createDirectories(dir.resolve("out"));
        try (ServerProcess upstream = new ServerProcess(null, Files.createDirectories(dir.resolve("upstream")), List.of()).start();
             // The upstream runs on this machine: loopback, http (README "Going live" says so).
             ServerProcess live = ServerProcess.live(Files.createDirectories(dir.resolve("live")), ADMIN_TOKEN,
                     List.of("--billswitch.routing.allow-private-upstreams=true")).start()) {
            ProcessTestSupport.PartnerKeys account = ProcessTestSupport.newPartner(upstream.baseUrl(), "DISTRIBUTOR-1",
                    10_000_000, null);
            String port = live.baseUrl().substring(live.baseUrl().lastIndexOf(':') + 1);
            String script = ReadmeExamplesIT.script(examples, repo, dir.resolve("live"), out, live.baseUrl(), port,
                            live.managementPort())
                    .replace("localhost:8082", "localhost:" + live.adminPort())
                    .replace("exec </dev/null", """
                            export BILLSWITCH_ADMIN_TOKEN=%s UPSTREAM_URL=%s UPSTREAM_KEY=%s UPSTREAM_SECRET=%s
                            exec </dev/null""".formatted(ADMIN_TOKEN, upstream.baseUrl(), account.apiKey(), account.apiSecret()));
            Path file = dir.resolve("going-live.sh");
            Files.writeString(file, script);
            ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(repo.toFile())
                    .redirectOutput(dir.resolve("bash.out").toFile()).redirectError(dir.resolve("bash.err").toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("BILLSWITCH_") || name.startsWith("BSW_"));
            Process bash = builder.start();
            assertThat(bash.waitFor(3, TimeUnit.MINUTES)).as("the commands finish; see " + dir).isTrue();

            SoftAssertions softly = new SoftAssertions();
            for (int i = 0; i < examples.size(); i++) {
                ReadmeExamplesIT.check(softly, examples.get(i), out.resolve(i + ".rc"), out.resolve(i + ".out"),
                        out.resolve(i + ".err"));
            }
            softly.assertThat(Files.readString(dir.resolve("bash.err"))).as("bash's own errors").isEmpty();
            softly.assertAll();

            // The upstream holds exactly that one payment, under the reference our attempt was sent with.
            AdminClient ours = new AdminClient(live.adminUrl(), ADMIN_TOKEN);
            Http partner = ours.get("/admin/partners/RETAILER-1");
            // Debited the payment, credited its commission (200 basis points of 199.00: 3.98) less its TDS (2%: 0.08).
            assertThat(partner.body()).contains("\"balanceMinor\":" + (500_000 - 19_900 + 398 - 8));
            String order = Files.readString(out.resolve((examples.size() - 2) + ".out"));
            String sentAs = order.replaceAll("(?s).*\"reference\":\"(BS[A-Z0-9]+)\".*", "$1");
            assertThat(sentAs).as(order).startsWith("BS");
            Http there = account.client(upstream.baseUrl()).get("/v1/transactions?reference=" + sentAs);
            assertThat(there.status()).as(there.body()).isEqualTo(200);
            assertThat(there.text("status")).isEqualTo("SUCCESS");
            assertThat(there.number("amountMinor")).isEqualTo(19_900);
            Http wallet = account.client(upstream.baseUrl()).get("/v1/wallet?currency=INR");
            // Debited once there, with the upstream's own commission (its sandbox airtel-prepaid: 250 basis points, 4.97)
            // less its TDS (2%: 0.10).
            assertThat(wallet.body()).as("debited once at the upstream").contains("\"availableMinor\":" + (10_000_000 - 19_900 + 497 - 10));
        }
    }
}
