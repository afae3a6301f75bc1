package billswitch.connector.eko;

import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Eko's request signing with our access key, as seed 003 and Eko's SDK samples compute it. The HMAC key is the
 * ASCII text of base64(access key), not the decoded bytes:
 * <ul>
 *   <li>{@code secret-key = base64(HMAC-SHA256(key, secret-key-timestamp))}, on every call;</li>
 *   <li>{@code request_hash = base64(HMAC-SHA256(key, timestamp + utility_acc_no + amount + user_code))}, no
 *       separators, on a payment; the values exactly as they are sent.</li>
 * </ul>
 * The same secret-key authenticates a callback to us (see {@link EkoProtocol#callback}).
 */
final class EkoSigner {
    private final byte[] key;

    EkoSigner(String accessKey) {
        this.key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
    }

    String secretKey(String timestamp) {
        return sign(timestamp);
    }

    String requestHash(String timestamp, String utilityAccNo, String amount, String userCode) {
        return sign(timestamp + utilityAccNo + amount + userCode);
    }

    /** Whether a presented secret-key is the one for this timestamp, compared in constant time. */
    boolean admits(String timestamp, String presentedSecretKey) {
        return Hmac.equal(secretKey(timestamp).getBytes(StandardCharsets.US_ASCII),
                presentedSecretKey.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String message) {
        return Base64.getEncoder().encodeToString(Hmac.sha256(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "EkoSigner[****]";
    }
}
