package billswitch.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, as a partner signs its requests: the load generator is a client, not a part of the server. */
final class Signing {
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });

    private Signing() {
    }

    static byte[] hmac(byte[] key, byte[] message) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused a key", e);
        }
        return mac.doFinal(message);
    }

    static String hmacBase64(String key, String message) {
        return Base64.getEncoder().encodeToString(
                hmac(key.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8)));
    }
}
