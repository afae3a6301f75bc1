package billswitch.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.List;

/**
 * A second BillSwitch the server under test pays through, as a distributor's switch pays a master distributor's:
 * the same jar in sandbox mode, its own process, port and embedded PostgreSQL (durable, as the README runs it),
 * answering after {@code latencyMs}. The server under test reaches it by a connector of type {@code billswitch}
 * (its native v1 API, signed as one of its partners), to which {@link #OPERATOR} is routed.
 */
final class Upstream implements AutoCloseable {
    /** The operator the HTTP scenarios pay at the server under test, routed to the upstream alone. */
    static final String OPERATOR = "jio-prepaid";
    /** The server under test's partner at the upstream. */
    private static final String PARTNER = "SWITCH-UNDER-TEST";
    /**
     * The upstream's JVM: its heap fixed as the server under test's, but 1 GB, so that 10,000 requests in flight
     * measure the server under test, whose heap is the one capped at 512 MB.
     */
    private static final List<String> JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    /** A connect may wait behind 10,000 others in the upstream's accept queue; a SYN dropped is sent again after 1 s, 3 s. */
    private static final int CONNECT_MS = 10_000;
    /** Enough for 10,000 in flight at once with room to spare, so that no payment is refused as IN_FLIGHT_LIMIT. */
    private static final int MAX_IN_FLIGHT = 20_000;

    private final ServerUnderTest server;
    private final Admin admin;
    private final String jdbcUrl;
    /** Its embedded PostgreSQL's password, which it generated into its data directory. */
    private final String password;
    private final int latencyMs;

    private Upstream(ServerUnderTest server, Admin admin, String jdbcUrl, String password, int latencyMs) {
        this.server = server;
        this.admin = admin;
        this.jdbcUrl = jdbcUrl;
        this.password = password;
        this.latencyMs = latencyMs;
    }

    /**
     * Starts it, with {@code walSegments} WAL segments of its PostgreSQL written through and recycled before it is
     * used, as on an upstream that has been running (a segment created inside a commit holds every commit up for
     * 80-100 ms here).
     */
    static Upstream start(String jar, Path dir, String name, int latencyMs, int walSegments, HttpClient http) throws Exception {
        ServerUnderTest server = ServerUnderTest.startUpstream(jar, dir, name, JVM,
                // its embedded PostgreSQL on localhost too (TCP), for the WAL preparation and analyze below
                List.of("--billswitch.sandbox.latency-ms=" + latencyMs, "--billswitch.db.embedded-listen-addresses=localhost"));
        try {
            String jdbcUrl = jdbcUrl(server.embeddedPgData());
            String password = Files.readString(server.embeddedPgData().resolveSibling("pg-password")).trim();
            new WalSegments(jdbcUrl, password).prepare(walSegments);
            return new Upstream(server, new Admin(http, server.baseUrl()), jdbcUrl, password, latencyMs);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * Makes the server under test (its admin API {@code switchAdmin}) pay {@link #OPERATOR} through this upstream:
     * a funded partner here, a connector named {@code connector} there, and the operator routed to it alone.
     */
    void connect(Admin switchAdmin, String connector) {
        Workload.Partner partner = admin.partner(PARTNER);
        switchAdmin.billswitchConnector(connector, server.baseUrl(), partner, CONNECT_MS, latencyMs + 30_000, MAX_IN_FLIGHT);
        switchAdmin.route(OPERATOR, connector, OPERATOR);
    }

    /** The server under test's CPU readings with this upstream's beside them. */
    CpuTime readAlongside(CpuTime switchCpu) {
        return switchCpu == null ? null : switchCpu.withUpstream(server.pid(), server.embeddedPgData());
    }

    /** Updates its PostgreSQL's statistics after the warm-up, as the server under test's are (see Statements). */
    void analyze() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", password); Statement s = c.createStatement()) {
            s.execute("analyze");
        }
    }

    boolean verify() {
        return admin.verify();
    }

    /** The embedded PostgreSQL's JDBC URL, from the port its postmaster.pid names (line 4). */
    private static String jdbcUrl(Path pgData) throws Exception {
        return "jdbc:postgresql://localhost:" + Files.readAllLines(pgData.resolve("postmaster.pid")).get(3).trim() + "/postgres";
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
