package billswitch.infra.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the database for gauges and health checks, at most once every {@code maxAge} however often it is
 * asked for (a burst of scrapes reads it once), and only when asked for: nothing reads it while nobody scrapes. One
 * caller reads it afresh while the others get the value last read; a read that fails keeps the last value.
 */
public final class Sampled<T> {
    private static final Logger log = LoggerFactory.getLogger(Sampled.class);

    private final String what;
    private final Supplier<T> read;
    private final long maxAgeNanos;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile T value;
    private volatile long readAt;
    private volatile boolean everRead;

    public Sampled(String what, Duration maxAge, T initial, Supplier<T> read) {
        this.what = what;
        this.read = read;
        this.maxAgeNanos = maxAge.toNanos();
        this.value = initial;
    }

    /** The value, read afresh if the last read is older than maxAge and no other caller is reading it now. */
    public T get() {
        if ((!everRead || System.nanoTime() - readAt > maxAgeNanos) && reading.compareAndSet(false, true)) {
            try {
                value = read.get();
            } catch (RuntimeException e) {
                log.debug("{} not read: {}", what, e.toString());
            } finally {
                readAt = System.nanoTime();
                everRead = true;
                reading.set(false);
            }
        }
        return value;
    }
}
