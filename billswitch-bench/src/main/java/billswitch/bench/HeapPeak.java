package billswitch.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest heap use a server reports (its admin API's runtime view) while a scenario runs, sampled every 500 ms:
 * what (c) and http-in-flight, the scenarios with a capped heap, report as their heap peak.
 */
final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    /** Set by {@link #stop}: an interrupt alone may be swallowed by the admin call it lands in. */
    private volatile boolean stopped;

    private HeapPeak(Admin admin) {
        sampler = Thread.ofVirtual().start(() -> {
            while (!stopped) {
                peak.accumulateAndGet(admin.heapUsed(), Math::max);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts sampling the server behind {@code admin}. */
    static HeapPeak sample(Admin admin) {
        return new HeapPeak(admin);
    }

    /** Stops sampling; the highest use seen, in bytes. */
    long stop() throws InterruptedException {
        stopped = true;
        sampler.interrupt();
        sampler.join();
        return peak.get();
    }
}
