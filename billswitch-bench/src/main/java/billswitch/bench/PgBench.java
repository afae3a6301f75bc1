package billswitch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * PostgreSQL's own ceiling on the same server: pgbench's built-in tpcb-like script, at full speed (its
 * throughput) and at a fixed rate (its latency).
 */
final class PgBench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final Path binary;
    /** A socket directory or a host name, as pgbench's -h takes it. */
    private final String host;
    private final int port;

    private PgBench(Path binary, String host, int port) {
        this.binary = binary;
        this.host = host;
        this.port = port;
    }

    /**
     * pgbench from the option, Debian's postgresql packages, or the PATH; empty when there is none, or when
     * the option names no executable file (which also skips the ratio on purpose: --pgbench none).
     */
    static Optional<PgBench> find(String configured, String host, int port) throws IOException {
        if (configured != null) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                System.out.println("--pgbench " + configured + " is not an executable file");
                return Optional.empty();
            }
            return Optional.of(new PgBench(path, host, port));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> found = versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable)
                        .sorted().reduce((a, b) -> b);
                if (found.isPresent()) {
                    return Optional.of(new PgBench(found.get(), host, port));
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new PgBench(candidate, host, port));
            }
        }
        return Optional.empty();
    }

    Path binary() {
        return binary;
    }

    void initialize(String database, int scale, Path log) throws Exception {
        pgbench(database, log, "-i", "-q", "-s", Integer.toString(scale));
    }

    /** Transactions per second at this client count. */
    double tps(String database, int clients, int seconds, Path log) throws Exception {
        String out = pgbench(database, log, "-b", "tpcb-like", "-c", Integer.toString(clients), "-j", "2",
                "-T", Integer.toString(seconds));
        return tps(out, log);
    }

    /** The throughput pgbench printed. */
    private static double tps(String out, Path log) {
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no tps; see " + log);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * pgbench's latency at a fixed rate, open loop: {@code -R}, so each transaction is due at its scheduled
     * time (pgbench draws the schedule as a Poisson process) and its latency counts from then, as the load
     * generator's open loop counts from each request's due time. {@code clients} only needs to be enough
     * that the schedule never waits for a free one.
     */
    record AtRate(int clients, double offeredPerSecond, double tps, long transactions, Bench.Latency latencyMs,
                  List<double[]> latencyCurve) {
    }

    /** Runs tpcb-like at {@code perSecond} and reads each transaction's latency from pgbench's own log. */
    AtRate atRate(String database, int clients, double perSecond, int seconds, Path dir, Path log) throws Exception {
        String prefix = "pgbench-at-rate";
        logFiles(dir, prefix).forEach(PgBench::delete); // left by an earlier run into the same directory
        String out = pgbench(database, log, "-b", "tpcb-like", "-c", Integer.toString(clients), "-j", "2",
                "-R", String.format(Locale.ROOT, "%.1f", perSecond), "-T", Integer.toString(seconds), "-l",
                "--log-prefix=" + dir.resolve(prefix));
        double tps = tps(out, log);
        // One file per pgbench thread: client_id transaction_no time_us script_no epoch epoch_us schedule_lag_us
        // (per transaction; with -R its time counts from the scheduled start, lag included).
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (Path file : logFiles(dir, prefix)) {
            try (Stream<String> lines = Files.lines(file)) {
                lines.forEach(line -> latency.recordValue(Math.max(1, Long.parseLong(line.split(" ", 4)[2]))));
            }
            delete(file);
        }
        return new AtRate(clients, perSecond, tps, latency.getTotalCount(),
                Bench.Latency.of(latency), Bench.curve(latency));
    }

    /** pgbench's per-transaction logs: {@code prefix.<pid>}, and {@code prefix.<pid>.<thread>} per further thread. */
    private static List<Path> logFiles(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix + ".")).toList();
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs pgbench with these options against the database, on this server's host (or socket) and port. */
    private String pgbench(String database, Path log, String... options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-h", host, "-p", Integer.toString(port), "-U", "postgres", database));
        return run(command, log);
    }

    private static String run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            Files.writeString(log, out, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            throw new IllegalStateException("pgbench failed; see " + log);
        }
        Files.writeString(log, String.join(" ", command) + "\n" + out, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return out;
    }
}
