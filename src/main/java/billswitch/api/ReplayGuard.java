package billswitch.api;

import billswitch.shared.BillSwitchProperties;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Remembers the signatures of signed requests for as long as their timestamps are accepted, so a captured
 * request cannot be sent again. A request signed at {@code sentAt} passes the timestamp check until
 * {@code sentAt + tolerance}; its signature is kept in the bucket of that instant, and a bucket is dropped
 * whole once every instant it covers has passed (no sweep over the entries). The signature is remembered as
 * the bytes it decodes to, not as the header's text: base64 decoding accepts the same bytes written without
 * padding, which would otherwise be a second first use. Bounded: past {@link #MAX_ENTRIES} it stops
 * remembering new signatures (and says so in the log) rather than refuse traffic. Per node.
 */
@Component
public class ReplayGuard {
    static final int MAX_ENTRIES = 1_000_000;
    /** Buckets per tolerance: a signature is kept at most a tolerance / BUCKETS longer than it has to be. */
    private static final int BUCKETS = 8;
    private static final Logger log = LoggerFactory.getLogger(ReplayGuard.class);

    private final long toleranceMillis;
    private final long bucketMillis;
    private final int maxEntries;
    /** Signatures by the bucket of the instant they stop passing the timestamp check. */
    private final ConcurrentSkipListMap<Long, Set<Signed>> buckets = new ConcurrentSkipListMap<>();
    private final AtomicBoolean warnedFull = new AtomicBoolean();

    @Autowired
    ReplayGuard(BillSwitchProperties props) {
        this(props.api().timestampTolerance().toMillis(), MAX_ENTRIES);
    }

    ReplayGuard(long toleranceMillis, int maxEntries) {
        if (toleranceMillis <= 0) {
            throw new IllegalArgumentException("the timestamp tolerance must be positive");
        }
        this.toleranceMillis = toleranceMillis;
        this.bucketMillis = Math.max(1, toleranceMillis / BUCKETS);
        this.maxEntries = maxEntries;
    }

    /** A signature (HMAC-SHA256: 32 bytes) as its key id and its bytes: 48 bytes of heap, with no array. */
    private record Signed(String keyId, long b0, long b1, long b2, long b3) {
        static Signed of(String keyId, byte[] signature) {
            if (signature.length != 32) {
                throw new IllegalArgumentException("an HMAC-SHA256 signature has 32 bytes, not " + signature.length);
            }
            ByteBuffer bytes = ByteBuffer.wrap(signature);
            return new Signed(keyId, bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
        }
    }

    /**
     * True the first time this key id presents this signature; false for a replay. Call it only for a
     * request whose timestamp {@code sentAtMillis} passed the check (within the tolerance of {@code
     * nowMillis}) and whose signature verified.
     */
    public boolean firstUse(String keyId, byte[] signature, long sentAtMillis, long nowMillis) {
        dropExpired(nowMillis);
        Signed signed = Signed.of(keyId, signature);
        long bucket = Math.floorDiv(sentAtMillis + toleranceMillis, bucketMillis);
        Set<Signed> seen = buckets.computeIfAbsent(bucket, b -> ConcurrentHashMap.newKeySet());
        if (size() >= maxEntries) {
            if (warnedFull.compareAndSet(false, true)) {
                log.warn("Replay guard full ({} signatures within the timestamp tolerance): new signatures are not "
                        + "remembered until older ones expire", maxEntries);
            }
            return !seen.contains(signed);
        }
        return seen.add(signed);
    }

    /** How many signatures are remembered. */
    int size() {
        int size = 0;
        for (Set<Signed> seen : buckets.values()) {
            size += seen.size();
        }
        return size;
    }

    /**
     * Drops the buckets whose every instant has passed: their signatures' timestamps are refused by now. A
     * signature added by a thread whose clock read a moment earlier may land in a bucket being dropped: it is
     * one whose timestamp is refused from that moment on, so forgetting it lets nothing through.
     */
    private void dropExpired(long nowMillis) {
        Map.Entry<Long, Set<Signed>> oldest;
        while ((oldest = buckets.firstEntry()) != null && (oldest.getKey() + 1) * bucketMillis <= nowMillis) {
            if (buckets.remove(oldest.getKey(), oldest.getValue())) {
                warnedFull.set(false);
            }
        }
    }
}
