package billswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class CpuTimeTest {
    @Test
    void stealIsNeitherBusyNorIdleAndCountsInTheTotal() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        CpuTime.MachineTicks t = CpuTime.MachineTicks.parse("cpu  700 0 200 2000 30 0 20 50 0 0");

        assertThat(t.steal()).isEqualTo(50);
        assertThat(t.total()).isEqualTo(3000);
        assertThat(t.busy()).isEqualTo(920);
    }

    @Test
    void aKernelWithoutAStealColumnStealsNothing() {
        CpuTime.MachineTicks t = CpuTime.MachineTicks.parse("cpu 10 0 5 80 5");

        assertThat(t.steal()).isZero();
        assertThat(t.total()).isEqualTo(100);
        assertThat(t.busy()).isEqualTo(15);
    }

    @Test
    void perPaymentReportsTheSharesOfTheMachineBusyAndStolen() {
        CpuTime.Sample before = new CpuTime.Sample(100, 200, 10, 1000, 10, 4000);
        CpuTime.Sample after = new CpuTime.Sample(150, 300, 20, 1600, 110, 5000);

        Map<String, Double> m = CpuTime.perPayment(before, after, 1000);

        assertThat(m).containsEntry("server", 0.5).containsEntry("postgres", 1.0).containsEntry("loadGenerator", 0.1)
                .containsEntry("total", 1.6).containsEntry("machineBusy", 0.6).containsEntry("machineSteal", 0.1);
    }

    @Test
    void anUpstreamIsReportedApartAndInATotalOfItsOwn() {
        CpuTime.Sample before = new CpuTime.Sample(100, 200, 10, 1000, 10, 4000, new CpuTime.UpstreamTicks(50, 60));
        CpuTime.Sample after = new CpuTime.Sample(150, 300, 20, 1600, 110, 5000, new CpuTime.UpstreamTicks(90, 130));

        Map<String, Double> m = CpuTime.perPayment(before, after, 1000);

        assertThat(m).containsEntry("total", 1.6).containsEntry("upstreamServer", 0.4).containsEntry("upstreamPostgres", 0.7)
                .containsEntry("upstreamTotal", 1.1).containsEntry("totalWithUpstream", 2.7);
        assertThat(CpuTime.perPayment(new CpuTime.Sample(100, 200, 10, 1000, 10, 4000),
                new CpuTime.Sample(150, 300, 20, 1600, 110, 5000), 1000)).doesNotContainKey("upstreamTotal");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisHostsProcStatParses() throws IOException {
        CpuTime.MachineTicks t = CpuTime.MachineTicks.parse(Files.readAllLines(Path.of("/proc/stat")).getFirst());

        assertThat(t.total()).isPositive();
        assertThat(t.busy() + t.steal()).isLessThanOrEqualTo(t.total());
    }
}
