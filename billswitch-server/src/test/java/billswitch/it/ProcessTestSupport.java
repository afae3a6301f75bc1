package billswitch.it;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the real-process tests share: an external PostgreSQL, server flags, a partner, SQL checks. */
final class ProcessTestSupport {
    /** Short schedules so a test run settles in seconds; the production defaults are in application.yml. */
    static final List<String> FAST_SCHEDULES = List.of(
            "--billswitch.sandbox.latency-ms=20",
            "--billswitch.sandbox.resolve-delay=2s",
            "--billswitch.resolution.poll-interval=300ms",
            "--billswitch.resolution.delays=1s",
            "--billswitch.resolution.repeat-every=1s",
            "--billswitch.resolution.initiated-grace=3s",
            "--billswitch.resolution.lease=5s",
            "--billswitch.webhooks.lease=5s",
            "--billswitch.webhooks.poll-interval=200ms",
            "--billswitch.webhooks.retry-delays=1s,1s,1s,1s,1s,1s,1s,1s,1s,1s");

    private ProcessTestSupport() {
    }

    /** {@link #FAST_SCHEDULES} with the given "--name=value" settings in place of those of the same names. */
    static List<String> fastSchedulesWith(String... settings) {
        List<String> args = new ArrayList<>(FAST_SCHEDULES);
        for (String setting : settings) {
            String name = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(name));
            args.add(setting);
        }
        return args;
    }

    static AdminClient admin(String baseUrl) {
        return new AdminClient(baseUrl, "demo-admin");
    }

    /** An admin call that must answer {@code expectedStatus}; its answer. */
    static Http adminCall(String baseUrl, String method, String path, String body, int expectedStatus) {
        Http h = admin(baseUrl).send(method, path, body);
        if (h.status() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered " + h.status() + ": " + h.body());
        }
        return h;
    }

    /** Credits a partner's wallet (idempotent on the reference). */
    static void topUp(String baseUrl, String partnerId, String currency, long amountMinor, String reference) {
        adminCall(baseUrl, "POST", "/admin/partners/" + partnerId + "/wallets/" + currency + "/top-ups",
                "{\"amountMinor\":" + amountMinor + ",\"reference\":\"" + reference + "\"}", 201);
    }

    /** Gives a partner a credential in a provider's dialect (README, "Dialect credentials"); its generated secret. */
    static String addCredential(String baseUrl, String partnerId, String credentialJson) {
        return adminCall(baseUrl, "POST", "/admin/partners/" + partnerId + "/credentials", credentialJson, 201)
                .text("secret");
    }

    /**
     * A PostgreSQL server outside the BillSwitch processes (here started from the zonky binaries, which
     * run as root in CI where Debian's initdb refuses to), durable, so killing a server cannot touch it.
     */
    static EmbeddedPostgres externalPostgres(Path dir) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(Files.createDirectories(dir.resolve("external-pg")))
                .setCleanDataDirectory(true).setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200").setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    record PartnerKeys(String id, String apiKey, String apiSecret) {
        NativeClient client(String baseUrl) {
            return new NativeClient(baseUrl, id, apiKey, apiSecret);
        }
    }

    static PartnerKeys newPartner(String baseUrl, String id, long inrMinor, String callbackUrl) {
        AdminClient admin = new AdminClient(baseUrl, "demo-admin");
        Http created = admin.post("/admin/partners", callbackUrl == null ? "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}"
                : "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"callbackUrl\":\"" + callbackUrl + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("could not create partner: " + created.body());
        }
        admin.post("/admin/partners/" + id + "/wallets/INR/top-ups", "{\"amountMinor\":" + inrMinor + ",\"reference\":\"funding\"}");
        return new PartnerKeys(id, created.json().get("credentials").get("apiKey").stringValue(),
                created.json().get("credentials").get("apiSecret").stringValue());
    }

    static long queryLong(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String queryText(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Waits until no order is left INITIATED, PENDING or UNKNOWN. */
    static void awaitSettled(String jdbcUrl, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queryLong(jdbcUrl, "select count(*) from orders where status in ('INITIATED','PENDING','UNKNOWN')") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("orders still unsettled after " + timeout + ": " + queryText(jdbcUrl, """
                        select string_agg(id || ' ' || status || ' checks=' || check_count || ' next=' || coalesce(next_check_at::text, '-'), '; ')
                        from orders where status in ('INITIATED','PENDING','UNKNOWN')"""));
            }
            Thread.sleep(250);
        }
    }
}
