package billswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void theDefaultRatioOfABigMachineLetsGigabytesPileUpAndIsReportedAsBursty() {
        Machine.Writeback w = Machine.Writeback.of(0, 10, 3000, 500, 24 * 1024);

        assertThat(w.backgroundThresholdMiB()).isEqualTo(2457);
        assertThat(w.bursty()).isTrue();
    }

    @Test
    void bytesWhenSetTakePrecedenceOverTheRatio() {
        Machine.Writeback w = Machine.Writeback.of(4 * 1024 * 1024, 0, 3000, 500, 24 * 1024);

        assertThat(w.backgroundThresholdMiB()).isEqualTo(4);
        assertThat(w.bursty()).isFalse();
    }

    @Test
    void aThresholdJustOverTheLimitIsBursty() {
        assertThat(Machine.Writeback.of(65L * 1024 * 1024, 0, 3000, 500, 1024).bursty()).isTrue();
        assertThat(Machine.Writeback.of(64L * 1024 * 1024, 0, 3000, 500, 1024).bursty()).isFalse();
    }

    @Test
    void thisLinuxHostsSettingsAreReadWhole() {
        assertThat(Machine.Writeback.read()).isPresent().hasValueSatisfying(w -> {
            assertThat(w.dirtyExpireCentisecs()).isEqualTo(Integer.parseInt(proc("dirty_expire_centisecs")));
            assertThat(w.dirtyWritebackCentisecs()).isEqualTo(Integer.parseInt(proc("dirty_writeback_centisecs")));
            assertThat(w.dirtyBackgroundBytes()).isEqualTo(Long.parseLong(proc("dirty_background_bytes")));
        });
        assertThat(Machine.describe()).containsKey("writeback");
    }

    private static String proc(String name) {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/vm", name))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
