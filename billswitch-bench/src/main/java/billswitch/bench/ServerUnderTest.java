package billswitch.bench;

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
import java.util.concurrent.TimeUnit;

/**
 * The BillSwitch jar started as its own process for the benchmark: the server under test on the benchmark's
 * PostgreSQL, or an upstream BillSwitch on an embedded PostgreSQL of its own ({@link #startUpstream}).
 */
final class ServerUnderTest implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dataDir;

    private ServerUnderTest(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts the jar with the JVM options {@code jvm} (its heap, at least) and the application arguments {@code args}. */
    static ServerUnderTest start(String jar, String jdbcUrl, Path dir, List<String> jvm, List<String> args) throws Exception {
        return start(jar, jdbcUrl, dir, "server", dir.resolve("server-data"), jvm, args);
    }

    /**
     * Starts the jar as an upstream BillSwitch, named {@code name}: sandbox mode on the embedded PostgreSQL it starts
     * itself in {@code dir/name-data/pg}, its own port, its GC log {@code name-gc-PID.log} and its output in
     * {@code name.log}, as another installation would run.
     */
    static ServerUnderTest startUpstream(String jar, Path dir, String name, List<String> jvm, List<String> args) throws Exception {
        return start(jar, null, dir, name, dir.resolve(name + "-data"), jvm, args);
    }

    /** On the PostgreSQL at {@code jdbcUrl}, or (null) on the embedded one the server starts in {@code dataDir}. */
    private static ServerUnderTest start(String jar, String jdbcUrl, Path dir, String name, Path dataDir, List<String> jvm,
                                         List<String> args) throws Exception {
        int port;
        int managementPort;
        try (ServerSocket socket = new ServerSocket(0); ServerSocket management = new ServerSocket(0)) {
            port = socket.getLocalPort();
            managementPort = management.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Each garbage-collection pause in a log of its own per server process (the JVM puts its pid for %p),
        // with wall-clock times to set beside the progress lines' per-second p99.
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvm);
        command.addAll(List.of("-Xlog:gc:file=" + dir.resolve(name + "-gc-%p.log") + ":time", "-jar", jar, "--server.port=" + port,
                // Actuator's own port: a free one, so the upstream and the server under test never collide.
                "--management.server.port=" + managementPort, "--spring.profiles.active=sandbox", "--billswitch.data-dir=" + dataDir,
                "--logging.level.billswitch=WARN",
                // The load comes from this one machine, 10,000 connections at a time: no per-address connection limit.
                "--billswitch.http.max-connections-per-address=0"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        if (jdbcUrl != null) {
            builder.environment().put("BILLSWITCH_DB_URL", jdbcUrl);
            builder.environment().put("BILLSWITCH_DB_USER", "postgres");
            // sandbox mode (the demo partner, the sandbox operators) on the benchmark's own PostgreSQL
            builder.environment().put("BILLSWITCH_SANDBOX_ALLOW_EXTERNAL_DATABASE", "true");
        }
        builder.environment().put("BILLSWITCH_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        ServerUnderTest server = new ServerUnderTest(builder.start(), port, dataDir);
        server.awaitReady(dir.resolve(name + ".log"));
        return server;
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The data directory of the embedded PostgreSQL an upstream started (it holds postmaster.pid). */
    Path embeddedPgData() {
        return dataDir.resolve("pg");
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/runtime"))
                        .header("Authorization", "Bearer demo-admin").build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server did not start; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
