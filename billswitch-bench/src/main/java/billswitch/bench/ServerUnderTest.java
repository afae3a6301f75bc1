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

/** The BillSwitch jar started as its own process for the benchmark, on the benchmark's PostgreSQL. */
final class ServerUnderTest implements AutoCloseable {
    private final Process process;
    private final int port;

    private ServerUnderTest(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with the JVM options {@code jvm} (its heap, at least) and the application arguments {@code args}. */
    static ServerUnderTest start(String jar, String jdbcUrl, Path dir, List<String> jvm, List<String> args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Each garbage-collection pause in a log of its own per server process (the JVM puts its pid for %p),
        // with wall-clock times to set beside the progress lines' per-second p99.
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvm);
        command.addAll(List.of("-Xlog:gc:file=" + dir.resolve("server-gc-%p.log") + ":time", "-jar", jar, "--server.port=" + port,
                "--spring.profiles.active=sandbox", "--billswitch.data-dir=" + dir.resolve("server-data"),
                "--logging.level.billswitch=WARN"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        builder.environment().put("BILLSWITCH_DB_URL", jdbcUrl);
        builder.environment().put("BILLSWITCH_DB_USER", "postgres");
        builder.environment().put("BILLSWITCH_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        ServerUnderTest server = new ServerUnderTest(builder.start(), port);
        server.awaitReady(dir);
        return server;
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    private void awaitReady(Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + dir.resolve("server.log"));
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
        throw new IllegalStateException("the server did not start; see " + dir.resolve("server.log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
