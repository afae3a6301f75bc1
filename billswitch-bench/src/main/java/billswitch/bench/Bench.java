package billswitch.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator: {@code java -jar billswitch-bench/target/billswitch-bench.jar [--smoke] [--seconds N]
 * [--warmup N] [--out DIR] [--pgbench PATH] [--jar PATH]}, by default against the server jar built beside it
 * ({@link #DEFAULT_SERVER_JAR}). Starts a durable PostgreSQL (fsync and synchronous_commit on), runs the
 * BillSwitch jar against it as its own process, drives each scenario through the real HTTP server with
 * signed requests, checks the ledger after each, measures pgbench's tpcb-like script on the same server
 * at the same client count, and writes results.json and report.html. Asserts nothing about time. The HTTP
 * scenarios pay through a real connector into a second BillSwitch process ({@link Upstream}).
 */
public final class Bench {
    /** The server jar the reactor build makes, as seen from the repository's root. */
    static final String DEFAULT_SERVER_JAR = "billswitch-server/target/billswitch.jar";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** How long an open-loop scenario runs at its rate before it is measured. */
    private static final Duration OPEN_LOOP_LEAD_IN = Duration.ofSeconds(5);
    /** results.json's key (under "pgbench") for pgbench at half its 16-client rate. */
    public static final String PGBENCH_HALF_PEAK = "half peak, open loop";
    private static final int PGBENCH_AT_RATE_CLIENTS = 64;
    /**
     * WAL segments written through once before anything runs (2.5 GB, 8-12 s here): more than any one phase
     * writes between two checkpoints (pgbench's initialisation 49, scenario (b), the fastest, 36-37), so none
     * waits on a new segment.
     */
    private static final int WAL_SEGMENTS = 160;
    private static final int SMOKE_WAL_SEGMENTS = 2;
    /**
     * The server's JVM options, as README's production command has them: the heap fixed at 512 MB and touched
     * at start. Left to size itself, G1 shrank the heap whenever its collections cost little, down to 90 MB,
     * and then collected several times a second, each pause holding up the payments in flight: ~70 pauses in
     * 30 s against 5 with the heap fixed, and a half-peak p99 of 24.0 and 32.5 ms against 17.5 and 26.9 ms.
     */
    private static final List<String> SERVER_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    /** Scenario (c)'s: G1 sizes the heap itself under the 512 MB cap, so its peak says what 10,000 in flight need. */
    private static final List<String> IN_FLIGHT_JVM = List.of("-Xmx512m");
    /** results.json's key for the HTTP connector scenario's payments/s over scenario (a)'s, measured in the same run. */
    public static final String HTTP_TO_SANDBOX = "httpConnectorToA";

    private Bench() {
    }

    record Options(boolean smoke, int seconds, Integer warmup, Path out, String pgbench, String jar, String only,
                   boolean tcp) {

        /** Whether to run this scenario (--only a,b,c,d,eko,aopay,http-connector,http-in-flight runs just those). */
        boolean runs(String scenario) {
            return only == null || java.util.Arrays.asList(only.split(",")).contains(scenario);
        }

        static final String USAGE = "usage: bench [--smoke] [--seconds N] [--warmup N] [--out DIR] [--pgbench PATH]"
                + " [--jar PATH] [--only a,b,c,d,eko,aopay,http-connector,http-in-flight] [--tcp]";
        private static final List<String> SCENARIOS = List.of("a", "b", "c", "d", "eko", "aopay", "http-connector",
                "http-in-flight");

        /** The options; an {@link IllegalArgumentException} says what is wrong with them. */
        static Options parse(String[] args) {
            boolean smoke = false;
            Integer seconds = null;
            Integer warmup = null;
            Path out = null;
            String pgbench = null;
            String jar = DEFAULT_SERVER_JAR;
            String only = null;
            boolean tcp = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--seconds" -> seconds = count(args, i++, 1);
                    case "--warmup" -> warmup = count(args, i++, 0);
                    case "--out" -> out = Path.of(value(args, i++));
                    case "--pgbench" -> pgbench = value(args, i++);
                    case "--jar" -> jar = value(args, i++);
                    case "--only" -> {
                        only = value(args, i++);
                        for (String name : only.split(",")) {
                            if (!SCENARIOS.contains(name)) {
                                throw new IllegalArgumentException("unknown scenario " + name + " in --only " + only);
                            }
                        }
                    }
                    case "--tcp" -> tcp = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (out == null) {
                out = Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Options(smoke, seconds != null ? seconds : smoke ? 3 : 30, warmup, out, pgbench, jar, only, tcp);
        }

        private static String value(String[] args, int option) {
            if (option + 1 >= args.length) {
                throw new IllegalArgumentException(args[option] + " needs a value");
            }
            return args[option + 1];
        }

        private static int count(String[] args, int option, int least) {
            String value = value(args, option);
            try {
                int n = Integer.parseInt(value);
                if (n >= least) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(args[option] + " takes a whole number of seconds, at least " + least
                    + ", not " + value);
        }

        int warmupSeconds() {
            return warmup != null ? warmup : smoke ? 1 : 90;
        }

        int partners() {
            return smoke ? 5 : 100;
        }

        int inFlight() {
            return smoke ? 200 : 10_000;
        }

        int upstreamLatencyMs() {
            return smoke ? 200 : 2_000;
        }

        int walSegments() {
            return smoke ? SMOKE_WAL_SEGMENTS : WAL_SEGMENTS;
        }

        /**
         * WAL segments an upstream writes through before it is used: its embedded PostgreSQL keeps min_wal_size
         * (1 GB, 64 segments) of those a checkpoint frees.
         */
        int upstreamWalSegments() {
            return smoke ? SMOKE_WAL_SEGMENTS : 60;
        }
    }

    record Latency(double p50, double p95, double p99, double p999, double max) {
        static Latency of(Histogram h) {
            return new Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }
    }

    record Scenario(String name, String description, int clients, Double offeredPerSecond, double seconds, long payments,
                    long enquiries, long errors, double paymentsPerSecond, Latency latencyMs, Double pgbenchTps,
                    Double ratioToPgbench, boolean ledgerVerified, Long serverHeapPeakBytes, String firstError,
                    Map<String, Double> cpuMsPerPayment, GcPauses serverGcPauses, WalUse walSegments,
                    List<double[]> latencyCurve) {
    }

    /** The WAL segment files ready at a scenario's start, and how many of them it wrote into. */
    record WalUse(int ready, int used) {
    }

    /** The server's garbage-collection pauses over a scenario: how many, and their total length. */
    record GcPauses(long count, long millis) {
        GcPauses since(GcPauses before) {
            return new GcPauses(count - before.count, millis - before.millis);
        }
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Runs the benchmark; 2 (and the usage on standard error) for options it cannot run with. */
    public static int run(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            return 2;
        }
        Files.createDirectories(o.out());
        System.out.println("BillSwitch benchmark -> " + o.out().toAbsolutePath() + (o.smoke() ? " (smoke)" : ""));
        Map<String, Object> machine = Machine.describe();
        System.out.println("machine: " + machine);
        if (machine.get("writeback") instanceof Machine.Writeback w && w.bursty()) {
            System.out.printf("note: this host starts writing dirty pages back only past %d MB (or when %d s old), then writes "
                    + "them at once, and commits wait behind each burst: expect latency spikes of tens of milliseconds "
                    + "(writeback from 4 MB took the half-peak p99.9 from 47-62 ms to 14-33 ms on a 2-vCPU host; "
                    + "as root: sysctl -w vm.dirty_background_bytes=4194304)%n",
                    w.backgroundThresholdMiB(), w.dirtyExpireCentisecs() / 100);
        }
        List<Scenario> scenarios = new ArrayList<>();
        Map<String, Object> pgbenchRuns = new LinkedHashMap<>();
        String transport;
        // The server under test and pgbench reach PostgreSQL the same way: through its Unix socket, as the
        // server does its embedded one, or with --tcp both over TCP on localhost.
        Optional<Path> socketDir = o.tcp() ? Optional.empty() : Optional.of(PgSocket.directory());
        EmbeddedPostgres.Builder postgres = EmbeddedPostgres.builder();
        socketDir.ifPresent(d -> postgres.setServerConfig("unix_socket_directories", d.toString()));
        try (EmbeddedPostgres pg = postgres
                .setDataDirectory(Files.createDirectories(o.out().resolve("pg"))).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300").setServerConfig("shared_buffers", "512MB")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track_planning", "on")
                // A checkpoint every 1 GB of WAL (the default) came every 20-60 s under load, and after each
                // one every page touched is written whole into the WAL again; production settings instead.
                // min_wal_size as large: a checkpoint keeps every segment it frees for reuse (WalSegments).
                .setServerConfig("max_wal_size", WalSegments.WAL_SIZE).setServerConfig("min_wal_size", WalSegments.WAL_SIZE)
                .setServerConfig("checkpoint_timeout", "15min")
                .setServerConfig("logging_collector", "on").setServerConfig("log_directory", o.out().resolve("pg-log").toAbsolutePath().toString())
                .setServerConfig("log_checkpoints", "on").setServerConfig("log_autovacuum_min_duration", "0")
                .setPGStartupWait(Duration.ofSeconds(60)).start()) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            Optional<Path> socket = socketDir.map(d -> PgSocket.file(d, pg.getPort()));
            String serverJdbc = socket.map(f -> PgSocket.url(jdbc, f)).orElse(jdbc);
            transport = socket.map(f -> "Unix socket " + f).orElse("TCP on localhost");
            System.out.println("server under test and pgbench connect over " + transport);
            Statements statements = Statements.install(jdbc);
            WalSegments wal = new WalSegments(jdbc);
            long walStart = System.nanoTime();
            int walReady = wal.prepare(o.walSegments());
            System.out.printf("WAL: %d segments of 16 MB created and recycled in %.1f s, as a running server has them%n",
                    walReady, (System.nanoTime() - walStart) / 1e9);
            Optional<PgBench> pgbench = PgBench.find(o.pgbench(), socketDir.map(Path::toString).orElse("localhost"),
                    pg.getPort());
            if (pgbench.isEmpty()) {
                System.out.println("pgbench not found (Debian's postgresql package ships it): the ratio is skipped");
            } else {
                try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
                    s.execute("create database pgbench");
                }
                int scale = o.smoke() ? 1 : 64;
                System.out.println("pgbench: " + pgbench.get().binary() + ", initializing scale " + scale);
                pgbench.get().initialize("pgbench", scale, o.out().resolve("pgbench.log"));
                // pgbench runs before BillSwitch starts, at every client count a scenario uses: its scale-64
                // tables would otherwise push BillSwitch's pages out of the caches in the middle of the run.
                List<Integer> clientCounts = new ArrayList<>();
                if (o.runs("a") || o.runs("d") || o.runs("eko") || o.runs("aopay") || o.runs("http-connector")) {
                    clientCounts.add(16);
                }
                if (o.runs("b")) {
                    clientCounts.add(64);
                }
                for (int clients : clientCounts) {
                    System.out.printf("== pgbench tpcb-like, %d clients, %d s%n", clients, o.seconds());
                    wal.checkpoint();
                    double tps = pgbench.get().tps("pgbench", clients, o.seconds(), o.out().resolve("pgbench.log"));
                    System.out.printf("   %.0f transactions/s%n", tps);
                    pgbenchRuns.put(clients + " clients", tps);
                }
                if (o.runs("a")) {
                    // The yardstick for the half-peak scenario's latency: PostgreSQL's own transaction at half
                    // its 16-client rate, open loop, on enough clients that its schedule never waits for one.
                    double half = Math.max(1, (Double) pgbenchRuns.get("16 clients") / 2);
                    System.out.printf("== pgbench tpcb-like at %.0f transactions/s (half its 16-client rate), open loop, %d clients, %d s%n",
                            half, PGBENCH_AT_RATE_CLIENTS, o.seconds());
                    wal.checkpoint();
                    PgBench.AtRate atRate = pgbench.get().atRate("pgbench", PGBENCH_AT_RATE_CLIENTS, half, o.seconds(),
                            o.out(), o.out().resolve("pgbench.log"));
                    System.out.printf("   %.0f transactions/s, p50 %.1f ms, p99 %.1f ms%n", atRate.tps(),
                            atRate.latencyMs().p50(), atRate.latencyMs().p99());
                    pgbenchRuns.put(PGBENCH_HALF_PEAK, atRate);
                }
            }
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                    .connectTimeout(Duration.ofSeconds(30)).build();
            Duration duration = Duration.ofSeconds(o.seconds());

            try (ServerUnderTest server = ServerUnderTest.start(o.jar(), serverJdbc, o.out(), SERVER_JVM, List.of());
                 Http1Client client = new Http1Client(server.baseUrl());
                 Upstream upstream = o.runs("http-connector")
                         ? Upstream.start(o.jar(), o.out(), "upstream", 0, o.upstreamWalSegments(), http) : null) {
                LoadDriver driver = new LoadDriver(client);
                Admin admin = new Admin(http, server.baseUrl());
                CpuTime cpu = CpuTime.of(server.pid(), o.out().resolve("pg"));
                List<Workload.Partner> partners = new ArrayList<>();
                for (int i = 0; i < o.partners(); i++) {
                    partners.add(admin.partner("BENCH-" + i));
                }
                Workload.Partner hot = admin.partner("BENCH-HOT");
                admin.topUp("AOP-554", "bench-aop");
                List<Workload> warmUp = new ArrayList<>(List.of(Workload.nativeRecharges(partners, "warm", 0.1),
                        Workload.ekoPayments("warm"), Workload.aopayRecharges("warm")));
                if (upstream != null) {
                    upstream.connect(admin, "bench-upstream");
                    warmUp.add(Workload.nativeRecharges(Upstream.OPERATOR, partners, "warm-http", 0));
                }
                // The JIT compiles the hot paths during the first minute of load (C2 still took a third of a
                // core 45 s in, and throughput rose from 370/s to 850/s): warm up unmeasured, through every
                // dialect (and the HTTP connector, when it is measured), so every scenario measures the compiled server.
                System.out.printf("== warm-up: %d s of native, Eko and AOPay payments%s, not measured%n", o.warmupSeconds(),
                        upstream == null ? "" : " and native payments through the HTTP connector");
                wal.checkpoint();
                driver.closedLoop(Workload.rotating(warmUp), 16, Duration.ofSeconds(o.warmupSeconds()),
                        line -> System.out.println("   warm-up " + line));
                // PostgreSQL plans the server's prepared statements while the tables are still empty, and
                // keeps those plans (sequential scans) until statistics change. On a running switch autovacuum
                // analyzes the tables within minutes; do now what it would have done.
                statements.analyze();
                statements.reset();
                if (upstream != null) {
                    upstream.analyze();
                }

                if (o.runs("a")) {
                    Scenario a = closed(driver, admin, cpu, statements, "a-100-partners", "100 partners, instant sandbox operator, native API",
                            Workload.nativeRecharges(partners, "a", 0), 16, duration, pgbenchRuns, wal, o, null);
                    scenarios.add(a);
                    double half = Math.max(1, a.paymentsPerSecond() / 2);
                    System.out.printf("== a-half-peak: open loop at %.0f payments/s, %d s lead-in not measured%n", half,
                            OPEN_LOOP_LEAD_IN.toSeconds());
                    Workload halfPeak = Workload.nativeRecharges(partners, "ah", 0);
                    // The rate is reached first, unmeasured, so that what (a) left behind (its backlog of
                    // autovacuum work, a checkpoint) does not count as this scenario's latency.
                    int ready = wal.checkpoint();
                    driver.openLoop(halfPeak, half, OPEN_LOOP_LEAD_IN, line -> System.out.println("   lead-in " + line));
                    CpuTime.Sample before = cpu == null ? null : cpu.sample();
                    GcPauses gcBefore = admin.gcPauses();
                    LoadDriver.Measured m = driver.openLoop(halfPeak, half, duration, line -> System.out.println("   " + line));
                    GcPauses gc = admin.gcPauses().since(gcBefore);
                    System.out.printf("   server GC: %d pauses, %d ms in all%n", gc.count(), gc.millis());
                    WalUse walUse = walUsed(wal, ready);
                    scenarios.add(scenario("a-half-peak", "scenario (a) at half its peak rate, open loop", 0, half, m,
                            null, null, admin.verify(), null, cpuPerPayment(cpu, before, m), gc, walUse));
                }
                if (upstream != null) {
                    scenarios.add(closed(driver, admin, upstream.readAlongside(cpu), statements, "http-connector",
                            "100 partners, paid through the HTTP connector into a second BillSwitch (instant sandbox there)",
                            Workload.nativeRecharges(Upstream.OPERATOR, partners, "h", 0), 16, duration, pgbenchRuns, wal, o,
                            upstream));
                }
                if (o.runs("b")) {
                    scenarios.add(closed(driver, admin, cpu, statements, "b-hot-wallet", "one partner wallet, 64 concurrent clients",
                            Workload.nativeRecharges(List.of(hot), "b", 0), 64, duration, pgbenchRuns, wal, o, null));
                }
                if (o.runs("d")) {
                    scenarios.add(closed(driver, admin, cpu, statements, "d-status-mixed", "status enquiries (25%) mixed with payments",
                            Workload.nativeRecharges(partners, "d", 0.25), 16, duration, pgbenchRuns, wal, o, null));
                }
                if (o.runs("eko")) {
                    scenarios.add(closed(driver, admin, cpu, statements, "eko-dialect", "Eko v2 paybill, secret-key and request_hash",
                            Workload.ekoPayments("ek"), 16, duration, pgbenchRuns, wal, o, null));
                }
                if (o.runs("aopay")) {
                    scenarios.add(closed(driver, admin, cpu, statements, "aopay-dialect", "AOPay V2 MobileRecharge, body HMAC",
                            Workload.aopayRecharges("ao"), 16, duration, pgbenchRuns, wal, o, null));
                }
            }

            List<String> slow = List.of("--billswitch.sandbox.latency-ms=" + o.upstreamLatencyMs());
            if (o.runs("c")) try (ServerUnderTest server = ServerUnderTest.start(o.jar(), serverJdbc, o.out(), IN_FLIGHT_JVM, slow);
                                  Http1Client client = new Http1Client(server.baseUrl())) {
                LoadDriver driver = new LoadDriver(client);
                Admin admin = new Admin(http, server.baseUrl());
                List<Workload.Partner> partners = new ArrayList<>();
                for (int i = 0; i < o.partners(); i++) {
                    partners.add(admin.partner("SLOW-" + i));
                }
                System.out.printf("== c-in-flight: %d clients, upstream latency %d ms, server heap capped at 512 MB%n",
                        o.inFlight(), o.upstreamLatencyMs());
                CpuTime cpu = CpuTime.of(server.pid(), o.out().resolve("pg"));
                int ready = wal.checkpoint();
                HeapPeak heap = HeapPeak.sample(admin);
                CpuTime.Sample before = cpu == null ? null : cpu.sample();
                LoadDriver.Measured m = driver.closedLoop(Workload.nativeRecharges(partners, "c", 0),
                        o.inFlight(), duration.plusMillis(o.upstreamLatencyMs()), line -> System.out.println("   " + line));
                long heapPeak = heap.stop();
                Map<String, Double> perPayment = cpuPerPayment(cpu, before, m);
                WalUse walUse = walUsed(wal, ready);
                if (!perPayment.isEmpty()) {
                    System.out.println("   CPU ms per payment " + perPayment);
                }
                scenarios.add(scenario("c-in-flight", o.inFlight() + " payments in flight, upstream latency "
                        + o.upstreamLatencyMs() + " ms", o.inFlight(), null, m, null, null, admin.verify(), heapPeak,
                        perPayment, null, walUse));
            }

            // The server under test as in (c), paying through the HTTP connector an upstream that answers after the
            // same latency: each payment in flight holds a connection from the load generator and one to the upstream.
            if (o.runs("http-in-flight")) try (Upstream slowUpstream = Upstream.start(o.jar(), o.out(), "upstream-slow",
                         o.upstreamLatencyMs(), o.upstreamWalSegments(), http);
                 ServerUnderTest server = ServerUnderTest.start(o.jar(), serverJdbc, o.out(), IN_FLIGHT_JVM, List.of());
                 Http1Client client = new Http1Client(server.baseUrl())) {
                LoadDriver driver = new LoadDriver(client);
                Admin admin = new Admin(http, server.baseUrl());
                List<Workload.Partner> partners = new ArrayList<>();
                for (int i = 0; i < o.partners(); i++) {
                    partners.add(admin.partner("HTTP-SLOW-" + i));
                }
                slowUpstream.connect(admin, "bench-upstream-slow");
                CpuTime cpu = slowUpstream.readAlongside(CpuTime.of(server.pid(), o.out().resolve("pg")));
                System.out.printf("== http-in-flight: %d clients through the HTTP connector, upstream answering after %d ms,"
                        + " server heap capped at 512 MB%n", o.inFlight(), o.upstreamLatencyMs());
                int ready = wal.checkpoint();
                HeapPeak heap = HeapPeak.sample(admin);
                CpuTime.Sample before = cpu == null ? null : cpu.sample();
                GcPauses gcBefore = admin.gcPauses();
                LoadDriver.Measured m = driver.closedLoop(Workload.nativeRecharges(Upstream.OPERATOR, partners, "hc", 0),
                        o.inFlight(), duration.plusMillis(o.upstreamLatencyMs()), line -> System.out.println("   " + line));
                long heapPeak = heap.stop();
                Map<String, Double> perPayment = cpuPerPayment(cpu, before, m);
                GcPauses gc = admin.gcPauses().since(gcBefore);
                WalUse walUse = walUsed(wal, ready);
                boolean verified = admin.verify() && slowUpstream.verify();
                System.out.printf("   %.0f payments/s, p99 %.1f ms, %d errors, ledgers %s, heap peak %d MB%n",
                        m.paymentsPerSecond(), ms(m.latency().getValueAtPercentile(99)), m.errors(),
                        verified ? "verified" : "NOT VERIFIED", heapPeak >> 20);
                if (!perPayment.isEmpty()) {
                    System.out.println("   CPU ms per payment " + perPayment);
                }
                scenarios.add(scenario("http-in-flight", o.inFlight() + " payments in flight through the HTTP connector,"
                        + " upstream answering after " + o.upstreamLatencyMs() + " ms", o.inFlight(), null, m, null, null,
                        verified, heapPeak, perPayment, gc, walUse));
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine);
        results.put("smoke", o.smoke());
        results.put("secondsPerScenario", o.seconds());
        results.put("postgres", "embedded PostgreSQL 17 (zonky), fsync=on, synchronous_commit=on, shared_buffers=512MB, "
                + "max_wal_size=min_wal_size=" + WalSegments.WAL_SIZE + ", checkpoint_timeout=15min, a checkpoint before each "
                + "measured phase, WAL segments recycled, not created, while measuring");
        results.put("transport", transport);
        results.put("pgbench", pgbenchRuns);
        results.put("scenarios", scenarios);
        Double httpToSandbox = httpToSandbox(scenarios);
        if (httpToSandbox != null) {
            results.put(HTTP_TO_SANDBOX, httpToSandbox);
        }
        Files.writeString(o.out().resolve("results.json"), JSON.writeValueAsString(results));
        PgBench.AtRate pgbenchAtRate = (PgBench.AtRate) pgbenchRuns.get(PGBENCH_HALF_PEAK);
        Files.writeString(o.out().resolve("report.html"), Report.html(results, scenarios, pgbenchAtRate));
        System.out.println();
        System.out.println(Report.table(scenarios));
        if (pgbenchAtRate != null) {
            System.out.println(Report.line(pgbenchAtRate));
        }
        if (httpToSandbox != null) {
            System.out.println(Report.httpLine(httpToSandbox));
        }
        System.out.println("wrote " + o.out().resolve("results.json") + " and " + o.out().resolve("report.html"));
        return 0;
    }

    /** http-connector's payments/s over a-100-partners', when both ran. */
    private static Double httpToSandbox(List<Scenario> scenarios) {
        Map<String, Double> rates = new LinkedHashMap<>();
        scenarios.forEach(s -> rates.put(s.name(), s.paymentsPerSecond()));
        Double http = rates.get("http-connector");
        Double a = rates.get("a-100-partners");
        return http == null || a == null || a == 0 ? null : round(http / a);
    }

    /** A closed-loop scenario; {@code upstream}, when it pays through one, has its ledger verified too. */
    private static Scenario closed(LoadDriver driver, Admin admin, CpuTime cpu, Statements statements, String name,
                                   String description, Workload workload, int clients, Duration duration,
                                   Map<String, Object> pgbenchRuns, WalSegments wal, Options o, Upstream upstream)
            throws Exception {
        System.out.printf("== %s: %s, %d clients, %d s%n", name, description, clients, duration.toSeconds());
        int ready = wal.checkpoint();
        CpuTime.Sample before = cpu == null ? null : cpu.sample();
        GcPauses gcBefore = admin.gcPauses();
        LoadDriver.Measured m = driver.closedLoop(workload, clients, duration, line -> System.out.println("   " + line));
        Map<String, Double> perPayment = cpuPerPayment(cpu, before, m);
        GcPauses gc = admin.gcPauses().since(gcBefore);
        WalUse walUse = walUsed(wal, ready);
        statements.dump(o.out().resolve("statements-" + name + ".txt"));
        boolean verified = admin.verify() && (upstream == null || upstream.verify());
        Double tps = (Double) pgbenchRuns.get(clients + " clients");
        Scenario s = scenario(name, description, clients, null, m, tps, tps == null ? null : m.paymentsPerSecond() / tps,
                verified, null, perPayment, gc, walUse);
        System.out.printf("   %.0f payments/s, p99 %.1f ms, %d errors, ledger %s%s%n", s.paymentsPerSecond(),
                s.latencyMs().p99(), s.errors(), verified ? "verified" : "NOT VERIFIED",
                tps == null ? "" : String.format(", pgbench %.0f tps, ratio %.2f", tps, s.ratioToPgbench()));
        if (!perPayment.isEmpty()) {
            System.out.println("   CPU ms per payment " + perPayment);
        }
        System.out.printf("   server GC: %d pauses, %d ms in all%n", gc.count(), gc.millis());
        return s;
    }

    /**
     * How many of the segments ready at the scenario's start it used, printed; all of them means it also
     * wrote into new ones, and waited on their zero-filling.
     */
    private static WalUse walUsed(WalSegments wal, int readyBefore) throws Exception {
        int used = readyBefore - wal.ready();
        System.out.printf("   WAL: %d of the %d segments ready used%s%n", used, readyBefore,
                used >= readyBefore ? " (all: the rest of the log was written into new ones, zero-filled as it went)" : "");
        return new WalUse(readyBefore, used);
    }

    /** CPU per payment since {@code before}, by process; empty where it cannot be read. */
    private static Map<String, Double> cpuPerPayment(CpuTime cpu, CpuTime.Sample before, LoadDriver.Measured m) {
        return cpu == null ? Map.of() : CpuTime.perPayment(before, cpu.sample(), m.payments());
    }

    private static Scenario scenario(String name, String description, int clients, Double offered, LoadDriver.Measured m,
                                     Double tps, Double ratio, boolean verified, Long heapPeak,
                                     Map<String, Double> cpuMsPerPayment, GcPauses gc, WalUse walUse) {
        return new Scenario(name, description, clients, offered, round(m.seconds()), m.payments(), m.enquiries(), m.errors(),
                round(m.paymentsPerSecond()), Latency.of(m.latency()), tps, ratio == null ? null : round(ratio), verified,
                heapPeak, m.firstError(), cpuMsPerPayment, gc, walUse, curve(m.latency()));
    }

    /** The latency distribution (microseconds recorded) as (percentile, ms) points, for the report's chart. */
    static List<double[]> curve(Histogram latency) {
        List<double[]> curve = new ArrayList<>();
        for (HistogramIterationValue v : latency.percentiles(5)) {
            curve.add(new double[] {v.getPercentileLevelIteratedTo(), ms(v.getValueIteratedTo())});
            if (v.getPercentileLevelIteratedTo() >= 99.999) {
                break;
            }
        }
        return curve;
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
