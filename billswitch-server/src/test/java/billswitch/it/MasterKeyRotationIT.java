package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.EarlierSeals;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The master key rotated as the README says, with real processes on one PostgreSQL: secrets sealed under the old key
 * (one of the form written before key ids, bound to no row; a partner's and the connector's of the v2 form, bound to
 * their row key only), then the new key current with the old one among the previous keys (everything opens, payments
 * go on), {@code rotate-master-key} run beside the running server (twice: the second run changes nothing), then the
 * old key removed and billswitch.sealed.accept-unbound false: every secret opens under the new key alone, bound to
 * its partner or base URL (the sandbox's demo secrets at start, the connector's credentials, the partners' keys) and
 * payments still work; the old v2 value pasted back into its row (as a database writer could) is refused.
 */
class MasterKeyRotationIT {
    private static final String OLD_KEY = ServerProcess.MASTER_KEY;
    private static final long FUNDING = 10_000_000L;
    /** Long enough for the connector's timeouts (1.5 s + 1 s) to end within three quarters of it. */
    private static final String GRACE = "--billswitch.resolution.initiated-grace=10s";

    @Test
    void theMasterKeyIsRotatedWhileTheServerRuns() throws Exception {
        String newKey = freshKey();
        Path dir = Files.createTempDirectory("billswitch-rotation");
        try (EmbeddedPostgres pg = ProcessTestSupport.externalPostgres(dir)) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            ProcessTestSupport.PartnerKeys first;
            ProcessTestSupport.PartnerKeys earlier;
            ProcessTestSupport.PartnerKeys narrow;
            // 1. Everything sealed under the old key.
            try (ServerProcess server = new ServerProcess(jdbc, dir, ProcessTestSupport.fastSchedulesWith(GRACE)).start()) {
                first = ProcessTestSupport.newPartner(server.baseUrl(), "ROT-1", FUNDING, null);
                earlier = ProcessTestSupport.newPartner(server.baseUrl(), "ROT-2", FUNDING, null);
                narrow = ProcessTestSupport.newPartner(server.baseUrl(), "ROT-3", FUNDING, null);
                ProcessTestSupport.adminCall(server.baseUrl(), "POST", "/admin/connectors", """
                        {"name":"upstream","type":"billswitch","baseUrl":"%s","credentials":{"apiKey":"%s","secret":"%s"},
                         "timeouts":{"connectMs":500,"readMs":1000}}""".formatted(server.baseUrl(), first.apiKey(),
                        first.apiSecret()), 201);
                assertPays(first.client(server.baseUrl()), "before-1");
            }
            // ROT-2's secret as BillSwitch sealed it before key ids and row binding.
            execute(jdbc, "update partner_credentials set secret_enc = '" + EarlierSeals.unbound(OLD_KEY, earlier.apiSecret())
                    + "' where key_id = '" + earlier.apiKey() + "'");
            // ROT-3's secret and the connector's credentials as sealed before the binding covered partner and base URL.
            String narrowSecret = EarlierSeals.rowKeyOnly(OLD_KEY, narrow.apiSecret(), "partner_credentials", "secret_enc",
                    narrow.apiKey());
            execute(jdbc, "update partner_credentials set secret_enc = '" + narrowSecret + "' where key_id = '"
                    + narrow.apiKey() + "'");
            execute(jdbc, "update connectors set credentials_enc = '" + EarlierSeals.rowKeyOnly(OLD_KEY,
                    "{\"apiKey\":\"%s\",\"secret\":\"%s\"}".formatted(first.apiKey(), first.apiSecret()),
                    "connectors", "credentials_enc", "upstream") + "' where name = 'upstream'");

            // 2. The new key current, the old one still known: both open; then the rotation, while the server runs.
            try (ServerProcess server = new ServerProcess(jdbc, dir, ProcessTestSupport.fastSchedulesWith(GRACE,
                    "--billswitch.master-key=" + newKey, "--billswitch.previous-master-keys=" + OLD_KEY)).start()) {
                assertPays(first.client(server.baseUrl()), "during-1");
                assertPays(earlier.client(server.baseUrl()), "during-2");
                assertPays(narrow.client(server.baseUrl()), "during-3");

                CommandLineIT.Run rotation = rotate(jdbc, newKey, OLD_KEY);
                assertThat(rotation.exit()).as(rotation.stdout() + rotation.stderr()).isZero();
                assertThat(rotation.stdout()).contains("\"ok\" : true", "\"currentKeyId\" : \"" + EarlierSeals.keyId(newKey) + "\"");
                // every column holding sealed values here was re-sealed (partner_credentials.previous_secret_enc holds
                // none: no rotation with an overlap window happened)
                tools.jackson.databind.JsonNode report = tools.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(rotation.stdout().substring(rotation.stdout().indexOf('{')));
                for (tools.jackson.databind.JsonNode column : report.get("columns")) {
                    if (List.of("partner_credentials.secret_enc", "partners.webhook_secret_enc", "connectors.credentials_enc")
                            .contains(column.get("column").asString())) {
                        assertThat(column.get("resealed").asLong()).as(column.toString()).isPositive();
                    }
                }
                assertThat(sealedNotUnder(jdbc, newKey)).isZero();

                CommandLineIT.Run again = rotate(jdbc, newKey, OLD_KEY);
                assertThat(again.exit()).as(again.stdout() + again.stderr()).isZero();
                assertThat(again.stdout()).as("a second run changes nothing").contains("\"ok\" : true", "\"resealed\" : 0,");
                assertPays(first.client(server.baseUrl()), "after-rotation-1");
            }

            // 3. The old key gone, earlier forms refused: everything opens under the new key alone, in the bound form.
            try (ServerProcess server = new ServerProcess(jdbc, dir, ProcessTestSupport.fastSchedulesWith(GRACE,
                    "--billswitch.master-key=" + newKey, "--billswitch.sealed.accept-unbound=false")).start()) {
                assertPays(first.client(server.baseUrl()), "after-1");
                assertPays(earlier.client(server.baseUrl()), "after-2");
                assertPays(narrow.client(server.baseUrl()), "after-3");
                Http connectors = ProcessTestSupport.adminCall(server.baseUrl(), "GET", "/admin/connectors", null, 200);
                assertThat(connectors.body()).as("the connector's credentials open").contains("\"upstream\"");
                Http verified = ProcessTestSupport.adminCall(server.baseUrl(), "GET", "/admin/ledger/verify", null, 200);
                assertThat(verified.body()).contains("\"ok\":true");
            }

            // 4. The old v2 value pasted back into its row opens no more, even under a key that made it.
            execute(jdbc, "update partner_credentials set secret_enc = '" + narrowSecret + "' where key_id = '"
                    + narrow.apiKey() + "'");
            try (ServerProcess server = new ServerProcess(jdbc, dir, ProcessTestSupport.fastSchedulesWith(GRACE,
                    "--billswitch.master-key=" + newKey, "--billswitch.previous-master-keys=" + OLD_KEY,
                    "--billswitch.sealed.accept-unbound=false")).start()) {
                Http refused = narrow.client(server.baseUrl()).get("/v1/wallet?currency=INR");
                assertThat(refused.status()).as(refused.body()).isEqualTo(401);
                assertPays(first.client(server.baseUrl()), "after-paste-1");
            }
        }
    }

    private static void assertPays(NativeClient client, String reference) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", reference);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
    }

    private static CommandLineIT.Run rotate(String jdbc, String current, String previous) throws Exception {
        return CommandLineIT.run(ProcessHandle.current().info().command().orElse("java"), "rotate-master-key",
                "--billswitch.db.url=" + jdbc, "--billswitch.db.user=postgres",
                "--billswitch.master-key=" + current, "--billswitch.previous-master-keys=" + previous,
                // the server's own settings: its profile (and so its migrations), its database
                "--spring.profiles.active=sandbox", "--billswitch.sandbox.allow-external-database=true");
    }

    /** Sealed values in the three sealed columns not in the form of the given key. */
    private static long sealedNotUnder(String jdbc, String key) throws Exception {
        String prefix = "v3:" + EarlierSeals.keyId(key) + ":%";
        return ProcessTestSupport.queryLong(jdbc, """
                select (select count(*) from partner_credentials where secret_enc not like '%1$s')
                     + (select count(*) from partners where webhook_secret_enc is not null and webhook_secret_enc not like '%1$s')
                     + (select count(*) from connectors where credentials_enc not like '%1$s')""".formatted(prefix));
    }

    private static void execute(String jdbc, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(jdbc, "postgres", ""); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String freshKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
