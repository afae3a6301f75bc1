package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.bench.Bench;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(results.get("scenarios").size()).isEqualTo(7);
        for (JsonNode s : results.get("scenarios")) {
            assertThat(s.get("ledgerVerified").booleanValue()).as(s.get("name").stringValue()).isTrue();
            assertThat(s.get("errors").longValue()).as(s.get("name") + ": " + s.get("firstError")).isZero();
            assertThat(s.get("payments").longValue()).as(s.get("name").stringValue()).isPositive();
        }
    }
}
