package billswitch.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Remembers signatures seen within the timestamp window so a captured request cannot be sent again.
 * Bounded: entries expire with the window and the map never holds more than MAX_ENTRIES; past that it
 * stops remembering (and says so in the log) rather than refuse traffic. Per node.
 */
@Component
public class ReplayGuard {
    static final int MAX_ENTRIES = 1_000_000;
    private static final int SWEEP_EVERY = 10_000;

    private final Map<String, Long> seenUntil = new ConcurrentHashMap<>();
    private final AtomicLong inserts = new AtomicLong();

    /** True the first time this signature is presented; false for a replay. */
    public boolean firstUse(String signature, long nowMillis, long windowMillis) {
        if (inserts.incrementAndGet() % SWEEP_EVERY == 0) {
            seenUntil.values().removeIf(until -> until < nowMillis);
        }
        if (seenUntil.size() >= MAX_ENTRIES) {
            seenUntil.values().removeIf(until -> until < nowMillis);
            if (seenUntil.size() >= MAX_ENTRIES) {
                return !seenUntil.containsKey(signature);
            }
        }
        boolean[] fresh = {false};
        seenUntil.compute(signature, (key, until) -> {
            if (until == null || until < nowMillis) {
                fresh[0] = true;
                return nowMillis + 2 * windowMillis;
            }
            return until;
        });
        return fresh[0];
    }
}
