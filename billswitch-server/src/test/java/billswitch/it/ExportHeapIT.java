package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Real server processes on one PostgreSQL:
 * <ul>
 *   <li>a partner's rotation made through node A is used through node B at once (B reads the credential again when a
 *       signature does not verify with what it holds), and the replaced secret still verifies on B in its window;</li>
 *   <li>1,000,000 payments export as CSV through a server started with a 64 MB heap: every row arrives, the process
 *       lives on; the heap's peak during the export (from the GC log: heap used when each collection started) is
 *       printed and written to target/export-heap.txt (docs/PERFORMANCE.md, "CSV export").</li>
 * </ul>
 */
class ExportHeapIT {
    private static final int ROWS = 1_000_000;
    private static final String HEAP = "-Xmx64m";
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    @Test
    void aRotationOnOneNodeIsUsedOnTheOtherAndAMillionPaymentsExportInASmallHeap() throws Exception {
        Path dir = Files.createTempDirectory("billswitch-export-heap");
        Path gcLog = dir.resolve("gc.log");
        try (EmbeddedPostgres pg = ProcessTestSupport.externalPostgres(dir);
             ServerProcess small = new ServerProcess(pg.getJdbcUrl("postgres", "postgres"), dir, List.of())
                     .jvm(HEAP, "-Xlog:gc:file=" + gcLog).start()) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            try (ServerProcess other = new ServerProcess(jdbc, dir, List.of()).start()) {
                rotationOnOneNodeIsUsedOnTheOther(small, other);
            }

            ProcessTestSupport.PartnerKeys keys = ProcessTestSupport.newPartner(small.baseUrl(), "EXPORT-1M", 0, null);
            long started = System.nanoTime();
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("""
                        insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number,
                                            amount_minor, fee_minor, commission_minor, currency, status, fingerprint,
                                            operator_ref, created_at, updated_at, finished_at)
                        select '%s', 'bulk-' || g, 'RECHARGE', 'NATIVE', 'INSTANT', 'airtel-prepaid',
                               '98' || lpad(g::text, 8, '0'), 1000 + g %% 1000, 0, 4, 'INR', 'SUCCESS', 'bulk',
                               'SBX' || g, now(), now(), now()
                        from generate_series(1, %d) g""".formatted(keys.id(), ROWS));
            }
            System.out.printf("ExportHeapIT: inserted %,d payments in %d ms%n", ROWS, (System.nanoTime() - started) / 1_000_000);
            long firstId = ProcessTestSupport.queryLong(jdbc, "select min(id) from orders where partner_id = 'EXPORT-1M'");
            long lastId = ProcessTestSupport.queryLong(jdbc, "select max(id) from orders where partner_id = 'EXPORT-1M'");
            long gcLinesBefore = Files.readAllLines(gcLog).size();

            AtomicBoolean exporting = new AtomicBoolean(true);
            AtomicLong sampledPeak = new AtomicLong();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (exporting.get()) {
                    Http runtime = ProcessTestSupport.admin(small.adminUrl()).get("/admin/runtime");
                    if (runtime.status() == 200) {
                        sampledPeak.accumulateAndGet(runtime.number("heapUsedBytes"), Math::max);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            started = System.nanoTime();
            long lines = 0;
            long bytes = 0;
            String header;
            String first = null;
            String last = null;
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                            URI.create(small.adminUrl() + "/admin/exports/payments.csv?partner=EXPORT-1M"))
                    .header("Authorization", "Bearer demo-admin").timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                header = reader.readLine();
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (first == null) {
                        first = line;
                    }
                    last = line;
                    lines++;
                    bytes += line.length() + 2;
                }
            }
            long exportMillis = (System.nanoTime() - started) / 1_000_000;
            exporting.set(false);
            sampler.join();

            assertThat(header).startsWith("transaction_id,created_at,");
            assertThat(lines).isEqualTo(ROWS);
            assertThat(first).startsWith(firstId + ",").contains(",bulk-1,");
            assertThat(last).startsWith(lastId + ",").contains(",bulk-" + ROWS + ",");
            assertThat(small.alive()).isTrue();
            assertThat(ProcessTestSupport.admin(small.adminUrl()).get("/admin/runtime").status()).isEqualTo(200);
            assertThat(Files.readString(small.log())).doesNotContain("OutOfMemoryError");

            List<String> gcDuringExport = Files.readAllLines(gcLog).stream().skip(gcLinesBefore).toList();
            long gcPeak = gcDuringExport.stream().mapToLong(l -> used(l, 1)).max().orElse(0);
            // after a young collection: what the heap holds (live objects and survivors), before and during the export
            long liveAfter = gcDuringExport.stream().filter(l -> l.contains("Pause Young")).mapToLong(l -> used(l, 3))
                    .max().orElse(0);
            long liveBefore = Files.readAllLines(gcLog).stream().limit(gcLinesBefore).filter(l -> l.contains("Pause Young"))
                    .mapToLong(l -> used(l, 3)).reduce((a, b) -> b).orElse(0);
            long heapMax = ProcessTestSupport.admin(small.adminUrl()).get("/admin/runtime").number("heapMaxBytes");
            String report = String.format("CSV export of %,d payments (%,d MB of CSV) in %,d ms through a server with %s "
                            + "(heap max %d MB): heap peak %d MB (GC log, heap used when a collection started; %d "
                            + "collections during the export), at most %d MB left after a young collection during it (%d MB "
                            + "after the last one before it), %d MB sampled from /admin/runtime every 50 ms; "
                            + "machine: %d cores, %s, %d MB RAM%n",
                    lines, bytes / 1_000_000, exportMillis, HEAP, heapMax >> 20, gcPeak >> 20, gcDuringExport.size(),
                    liveAfter >> 20, liveBefore >> 20, sampledPeak.get() >> 20, Runtime.getRuntime().availableProcessors(), cpuModel(), memoryMb());
            System.out.print("ExportHeapIT: " + report);
            Files.writeString(Path.of("target", "export-heap.txt"), report);
        }
    }

    private static void rotationOnOneNodeIsUsedOnTheOther(ServerProcess a, ServerProcess b) throws Exception {
        ProcessTestSupport.PartnerKeys keys = ProcessTestSupport.newPartner(a.baseUrl(), "ROTATES", 0, null);
        NativeClient oldViaB = keys.client(b.baseUrl());
        assertThat(oldViaB.get("/v1/wallet").status()).isEqualTo(200); // B now holds the old secret in its cache

        Http rotated = keys.client(a.baseUrl()).post("/v1/credentials/rotate", "{\"overlapSeconds\":3600}", null);
        assertThat(rotated.status()).isEqualTo(200);
        NativeClient newViaB = oldViaB.withSecret(rotated.text("secret"));
        Http accepted = newViaB.get("/v1/wallet");
        for (int i = 0; i < 50 && accepted.status() != 200; i++) {
            Thread.sleep(100); // B reads a credential again at most once a second
            accepted = newViaB.get("/v1/wallet");
        }
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(oldViaB.get("/v1/wallet").status()).isEqualTo(200); // inside its window
        assertThat(keys.client(a.baseUrl()).get("/v1/wallet").status()).isEqualTo(200);
    }

    /** The heap used before (group 1) or after (group 3) the collection a GC log line reports; 0 for other lines. */
    private static long used(String gcLine, int group) {
        Matcher m = GC_LINE.matcher(gcLine);
        return m.find() ? bytes(Long.parseLong(m.group(group)), m.group(group + 1)) : 0;
    }

    private static long bytes(long n, String unit) {
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    private static long memoryMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(0);
        } catch (Exception e) {
            return 0;
        }
    }
}
