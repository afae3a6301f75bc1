package io.billswitch.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The native API's signature, version 2 (README "The native API (v1)"): X-Signature = base64(HMAC-SHA256(secret,
 * "v2" \n timestamp \n METHOD \n path_with_query \n content_type \n idempotency_key \n raw_body)), where
 * content_type and idempotency_key are those headers exactly as sent (empty text when not sent) and raw_body the
 * exact bytes sent (empty for a GET).
 */
final class Signer {
    private final byte[] secret;

    Signer(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    String sign(String timestamp, String method, String pathWithQuery, String contentType, String idempotencyKey,
                byte[] body) {
        String head = "v2\n" + timestamp + "\n" + method + "\n" + pathWithQuery + "\n" + (contentType == null ? "" : contentType)
                + "\n" + (idempotencyKey == null ? "" : idempotencyKey) + "\n";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(head.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
