package billswitch.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged BillSwitch jar as a real server process in sandbox mode on an external PostgreSQL (or, with no
 * JDBC URL, on its own embedded one in the data directory, as a newcomer runs it), which a test can kill with
 * SIGKILL and start again.
 */
final class ServerProcess implements AutoCloseable {
    /** A fixed master key, so every node and every restart opens the same sealed secrets. */
    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private final int port;
    /** Outside sandbox mode the admin API's own port (billswitch.admin.port); in sandbox mode the partners' port. */
    private final int adminPort;
    /** Actuator's management port (management.server.port): a free one, so nodes side by side never collide. */
    private final int managementPort;
    private final String jdbcUrl;
    private final Path dataDir;
    private final Path log;
    private final List<String> extraArgs;
    /** Null in sandbox mode; outside it, the admin token the server is started with. */
    private final String liveAdminToken;
    private Process process;
    /** Options for the JVM (a heap size, GC logging); -Xmx512m when none is a heap size. */
    private List<String> jvmOptions = List.of();

    ServerProcess(String jdbcUrl, Path dataDir, List<String> extraArgs) throws IOException {
        this(jdbcUrl, dataDir, extraArgs, null);
    }

    /**
     * A server outside sandbox mode, as an operator runs it: no sandbox catalog, partner or connector, the fixed
     * master key and this admin token (24 characters or more), its own embedded PostgreSQL in dataDir.
     */
    static ServerProcess live(Path dataDir, String adminToken, List<String> extraArgs) throws IOException {
        return new ServerProcess(null, dataDir, extraArgs, adminToken);
    }

    private ServerProcess(String jdbcUrl, Path dataDir, List<String> extraArgs, String liveAdminToken) throws IOException {
        this.liveAdminToken = liveAdminToken;
        this.port = freePort();
        this.adminPort = liveAdminToken == null ? port : freePort();
        this.managementPort = freePort();
        this.jdbcUrl = jdbcUrl;
        this.dataDir = dataDir;
        this.log = dataDir.resolve("server-" + port + ".log");
        this.extraArgs = extraArgs;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Where the admin API answers: the admin port outside sandbox mode, the partners' port in it. */
    String adminUrl() {
        return "http://localhost:" + adminPort;
    }

    int adminPort() {
        return adminPort;
    }

    /** Where Actuator answers (/actuator/health, /actuator/prometheus). */
    String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    int managementPort() {
        return managementPort;
    }

    Path log() {
        return log;
    }

    /** Starts the JVM with these options (e.g. "-Xmx64m", "-Xlog:gc:file=..."), before {@link #start}. */
    ServerProcess jvm(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    /** The process id once started (for jcmd and the like). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    ServerProcess start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            command.add("-Xmx512m");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("billswitch.jar"),
                "--server.port=" + port, "--management.server.port=" + managementPort,
                "--billswitch.data-dir=" + dataDir, "--billswitch.db.max-pool-size=10"));
        if (liveAdminToken == null) {
            command.add("--spring.profiles.active=sandbox");
        } else {
            command.add("--billswitch.admin.port=" + adminPort);
        }
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (liveAdminToken != null) {
            builder.environment().keySet().removeIf(name -> name.startsWith("BILLSWITCH_"));
            builder.environment().put("BILLSWITCH_MASTER_KEY", MASTER_KEY);
            builder.environment().put("BILLSWITCH_ADMIN_TOKEN", liveAdminToken);
        } else if (jdbcUrl != null) {
            builder.environment().put("BILLSWITCH_DB_URL", jdbcUrl);
            builder.environment().put("BILLSWITCH_DB_USER", "postgres");
            builder.environment().put("BILLSWITCH_MASTER_KEY", MASTER_KEY);
            // sandbox mode on the test's own PostgreSQL
            builder.environment().put("BILLSWITCH_SANDBOX_ALLOW_EXTERNAL_DATABASE", "true");
        } else {
            builder.environment().keySet().removeIf(name -> name.startsWith("BILLSWITCH_"));
        }
        process = builder.start();
        awaitReady();
        return this;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("BillSwitch exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/admin/ledger/verify"))
                        .header("Authorization", "Bearer " + (liveAdminToken == null ? "demo-admin" : liveAdminToken))
                        .timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("BillSwitch did not become ready; see " + log);
    }

    /** SIGKILL: no shutdown hook, no graceful close, exactly like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
