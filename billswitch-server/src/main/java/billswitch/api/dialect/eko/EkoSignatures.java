package billswitch.api.dialect.eko;

import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Eko's signatures. The HMAC key is the ASCII text of base64(access key) — not the decoded bytes.
 * secret-key = base64(HMAC-SHA256(key, timestamp));
 * request_hash = base64(HMAC-SHA256(key, timestamp + utility_acc_no + amount + user_code)).
 */
final class EkoSignatures {
    private EkoSignatures() {
    }

    static String secretKey(String accessKey, String timestamp) {
        return sign(accessKey, timestamp);
    }

    static String requestHash(String accessKey, String timestamp, String utilityAccNo, String amount, String userCode) {
        return sign(accessKey, timestamp + utilityAccNo + amount + userCode);
    }

    private static String sign(String accessKey, String message) {
        byte[] key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        return Base64.getEncoder().encodeToString(Hmac.sha256(key, message.getBytes(StandardCharsets.UTF_8)));
    }
}
