package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.bench.Bench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The benchmark's short smoke run, so the load generator keeps working. Asserts nothing about time. */
class BenchSmokeIT {

    @Test
    void theSmokeBenchmarkRunsEveryScenarioAndTheLedgerHolds() throws Exception {
        Path out = Files.createTempDirectory("billswitch-bench");
        int exit = Bench.run(new String[] {"--smoke", "--seconds", "2", "--out", out.toString(),
                "--jar", System.getProperty("billswitch.jar")});
        assertThat(exit).isZero();
        JsonNode results = JsonMapper.builder().build().readTree(out.resolve("results.json").toFile());
        assertThat(out.resolve("report.html")).exists();
        assertThat(results.get("scenarios").size()).isEqualTo(9);
        assertThat(results.get(Bench.HTTP_TO_SANDBOX).doubleValue()).isPositive();
        // the server under test and pgbench share PostgreSQL's Unix socket
        assertThat(results.get("transport").stringValue()).matches("Unix socket /.+/\\.s\\.PGSQL\\.\\d+");
        JsonNode pgbench = results.get("pgbench");
        if (pgbench.has("16 clients")) {
            // pgbench is installed: its latency at half its rate was measured too, from its own log.
            JsonNode atRate = pgbench.get(Bench.PGBENCH_HALF_PEAK);
            assertThat(atRate.get("offeredPerSecond").doubleValue())
                    .isEqualTo(Math.max(1, pgbench.get("16 clients").doubleValue() / 2), org.assertj.core.data.Offset.offset(0.01));
            assertThat(atRate.get("transactions").longValue()).isPositive();
            assertThat(atRate.get("latencyMs").get("p99").doubleValue()).isPositive()
                    .isLessThanOrEqualTo(atRate.get("latencyMs").get("max").doubleValue());
        }
        for (JsonNode s : results.get("scenarios")) {
            assertThat(s.get("ledgerVerified").booleanValue()).as(s.get("name").stringValue()).isTrue();
            assertThat(s.get("errors").longValue()).as(s.get("name") + ": " + s.get("firstError")).isZero();
            assertThat(s.get("payments").longValue()).as(s.get("name").stringValue()).isPositive();
            // Each scenario starts from a checkpoint with the smoke run's prepared WAL segments ready, at least.
            JsonNode wal = s.get("walSegments");
            assertThat(wal.get("ready").intValue()).as(s.get("name").stringValue()).isGreaterThanOrEqualTo(2);
            assertThat(wal.get("used").intValue()).as(s.get("name").stringValue()).isNotNegative();
            String name = s.get("name").stringValue();
            if (name.startsWith("http-")) {
                // Paid through the connector into the upstream, whose process and PostgreSQL did their share.
                assertThat(s.get("cpuMsPerPayment").get("upstreamServer").doubleValue()).as(name).isPositive();
                assertThat(s.get("cpuMsPerPayment").get("upstreamPostgres").doubleValue()).as(name).isPositive();
            }
            if (name.endsWith("in-flight")) {
                assertThat(s.get("serverHeapPeakBytes").longValue()).as(name).isPositive();
            }
            if (!name.equals("c-in-flight")) {
                // Read from the server before and after: a difference, never negative.
                JsonNode gc = s.get("serverGcPauses");
                assertThat(gc.get("count").longValue()).as(s.get("name").stringValue()).isNotNegative();
                assertThat(gc.get("millis").longValue()).as(s.get("name").stringValue()).isNotNegative();
            }
        }
        try (var logs = Files.list(out)) {
            // One GC log per process: the server under test for most scenarios, for (c), for http-in-flight; and
            // the upstream BillSwitch of each HTTP scenario.
            List<String> names = logs.map(p -> p.getFileName().toString()).toList();
            assertThat(names).filteredOn(n -> n.matches("server-gc-\\d+\\.log")).hasSize(3);
            assertThat(names).filteredOn(n -> n.matches("upstream(-slow)?-gc-\\d+\\.log")).hasSize(2);
        }
    }
}
