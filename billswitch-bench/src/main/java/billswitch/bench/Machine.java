package billswitch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the numbers were measured on. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", memoryGiB());
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        Writeback.read().ifPresent(w -> m.put("writeback", w));
        return m;
    }

    /**
     * How much written data the kernel lets pile up before it writes it back, and how long it keeps it.
     * PostgreSQL extends its tables and indexes a page at a time by writing zeros through the page cache;
     * under load that is megabytes a second of dirty data, which Linux by default keeps until it is 30 s
     * old (or exceeds 10% of memory) and then writes back in one burst, while every commit's WAL flush
     * waits behind it: ~100 MB every ~30 s on a 2-vCPU benchmark host, where the half-peak p99.9 was 47-62 ms
     * at the default and 14-33 ms with writeback from 4 MB. {@code backgroundThresholdMiB} is where background
     * writeback starts: {@code dirty_background_bytes}, or the ratio of memory when that is 0.
     */
    record Writeback(long dirtyBackgroundBytes, int dirtyBackgroundRatio, int dirtyExpireCentisecs,
                     int dirtyWritebackCentisecs, long backgroundThresholdMiB) {
        /** Past this, a burst holds commits up for tens of milliseconds on the disk measured here. */
        static final long BURSTY_MIB = 64;

        static Optional<Writeback> read() {
            try {
                return Optional.of(of(Long.parseLong(sysctl("dirty_background_bytes")),
                        Integer.parseInt(sysctl("dirty_background_ratio")), Integer.parseInt(sysctl("dirty_expire_centisecs")),
                        Integer.parseInt(sysctl("dirty_writeback_centisecs")), memoryGiB() * 1024));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** The settings as read; the kernel takes the bytes when they are set and the ratio of memory otherwise. */
        static Writeback of(long bytes, int ratio, int expireCentisecs, int writebackCentisecs, long memoryMiB) {
            long threshold = bytes > 0 ? bytes / (1024 * 1024) : memoryMiB * ratio / 100;
            return new Writeback(bytes, ratio, expireCentisecs, writebackCentisecs, threshold);
        }

        boolean bursty() {
            return backgroundThresholdMiB > BURSTY_MIB;
        }

        private static String sysctl(String name) throws IOException {
            // One line; Files.readString read only the first byte of these files of size 0 here (JDK 25).
            return Files.readAllLines(Path.of("/proc/sys/vm", name)).getFirst().trim();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long memoryGiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024).findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }
}
