package billswitch;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.ledger.LedgerVerifier;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Stopping and starting the server on the same data directory keeps partners, orders and money. */
class RestartTest {
    private Path dataDir;

    private ConfigurableApplicationContext start() {
        // command-line arguments, not builder properties: those are defaults that application.yml overrides
        return new SpringApplicationBuilder(BillSwitchApplication.class)
                .run("--spring.profiles.active=sandbox", "--server.port=0", "--management.server.port=0",
                        "--billswitch.data-dir=" + dataDir,
                        "--billswitch.db.embedded-durable=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    @AfterEach
    void removeData() throws IOException {
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRestartKeepsEverything() throws Exception {
        dataDir = Files.createTempDirectory("billswitch-restart");
        String partnerId;
        String apiKey;
        String apiSecret;
        String paidBody;
        try (ConfigurableApplicationContext first = start()) {
            AdminClient admin = new AdminClient("http://localhost:" + port(first), "demo-admin");
            Http created = admin.post("/admin/partners", "{\"id\":\"RESTART-1\",\"name\":\"Restart Test\"}");
            partnerId = created.json().get("partner").get("id").stringValue();
            apiKey = created.json().get("credentials").get("apiKey").stringValue();
            apiSecret = created.json().get("credentials").get("apiSecret").stringValue();
            admin.post("/admin/partners/" + partnerId + "/wallets/INR/top-ups", "{\"amountMinor\":100000,\"reference\":\"t1\"}");
            NativeClient client = new NativeClient("http://localhost:" + port(first), partnerId, apiKey, apiSecret);
            paidBody = client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "before-restart").body();
        }
        try (ConfigurableApplicationContext second = start()) {
            NativeClient client = new NativeClient("http://localhost:" + port(second), partnerId, apiKey, apiSecret);
            assertThat(dataDir.resolve("pg/PG_VERSION")).exists();
            // the secret, sealed with the development master key, still opens after the restart
            JsonNode wallet = client.get("/v1/wallet?currency=INR").json().get("wallets").get(0);
            assertThat(wallet.get("balanceMinor").longValue()).isEqualTo(100_000 - 19_900 + 497 - 10);   // commission 4.97 less TDS 0.10
            Http order = client.get("/v1/transactions?reference=before-restart");
            assertThat(order.text("status")).isEqualTo("SUCCESS");
            // the stored answer survives too: a replay is byte-identical
            Http replay = client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "before-restart");
            assertThat(replay.body()).isEqualTo(paidBody);
            assertThat(second.getBean(LedgerVerifier.class).verify().ok()).isTrue();

            // the command-line verify subcommand, pointed at the same database, agrees
            String url = second.getBean(javax.sql.DataSource.class).unwrap(com.zaxxer.hikari.HikariDataSource.class).getJdbcUrl();
            PrintStream stdout = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int exit;
            System.setOut(new PrintStream(captured, true));
            try {
                exit = BillSwitchApplication.verify(new String[] {"--billswitch.db.url=" + url,
                        "--billswitch.db.user=postgres",
                        "--billswitch.db.password=" + Files.readString(dataDir.resolve("pg-password")).trim(),
                        "--billswitch.data-dir=" + dataDir, "--spring.profiles.active=sandbox",
                        "--billswitch.sandbox.allow-external-database=true", "--billswitch.db.allow-fsync-off=true"});
            } finally {
                System.setOut(stdout);
            }
            assertThat(exit).isZero();
            assertThat(captured.toString()).contains("\"ok\" : true");
        }
    }
}
