package billswitch.infra.http;

import billswitch.infra.db.ReplayLog;
import billswitch.shared.ReplayMark;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.stereotype.Component;

/**
 * Refuses a signed request sent a second time, to any node: the first use of each signature is recorded in the
 * shared {@link ReplayLog} for as long as its timestamp passes the check. A signature is remembered as 128 bits of
 * SHA-256 over the scheme, the key id and the signature's bytes (not its header text: base64 decoding accepts the
 * same bytes written without padding, which would otherwise be a second first use), beside its signed timestamp.
 * When the first use cannot be recorded in 2 seconds (database down or full, the log's queue full), the
 * request is refused with BUSY (HTTP 503, retryable): a request is never let through unrecorded.
 */
@Component
public class ReplayGuard {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final ReplayLog replays;

    ReplayGuard(ReplayLog replays) {
        this.replays = replays;
    }

    /**
     * True the first time this key id of this scheme ({@code scope}: "native", "eko"...) presents this signature,
     * on any node; false for a replay. Call it only for a request whose timestamp {@code sentAtMillis} passed the
     * check and whose signature verified. Throws BUSY when the use cannot be recorded.
     */
    public boolean firstUse(String scope, String keyId, byte[] signature, long sentAtMillis) {
        return replays.firstUse(mark(scope, keyId, signature, sentAtMillis));
    }

    /** What the replay memory keeps of this signature: for a payment, which records it in its own batch. */
    public static ReplayMark mark(String scope, String keyId, byte[] signature, long sentAtMillis) {
        MessageDigest sha = SHA256.get();
        sha.update(scope.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(keyId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        ByteBuffer digest = ByteBuffer.wrap(sha.digest(signature));
        return new ReplayMark(sentAtMillis, digest.getLong(), digest.getLong());
    }

    /** Whether a payment on this node already found this mark to be a replay. */
    public boolean isKnownReplay(ReplayMark mark) {
        return replays.isKnownReplay(mark);
    }

    /** As {@link #firstUse(String, String, byte[], long)}, for a mark made before. */
    public boolean firstUse(ReplayMark mark) {
        return replays.firstUse(mark);
    }
}
