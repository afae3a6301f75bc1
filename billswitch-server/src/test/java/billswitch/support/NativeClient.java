package billswitch.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A partner's client for the native API, signing exactly as the README tells partners to, version 2:
 * X-Signature-Version: 2 and base64(HMAC-SHA256(secret, "v2" + "\n" + timestamp + "\n" + METHOD + "\n" + path?query
 * + "\n" + Content-Type + "\n" + Idempotency-Key + "\n" + body)); {@link #sendV1} signs the deprecated version 1,
 * base64(HMAC-SHA256(secret, timestamp + "\n" + METHOD + "\n" + path?query + "\n" + body)).
 * Written independently of the server's code so the test checks the documented scheme.
 */
public class NativeClient {
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    private final String baseUrl;
    private final RawClient raw;
    public final String partnerId;
    public final String keyId;
    private final String secret;

    public NativeClient(String baseUrl, String partnerId, String keyId, String secret) {
        this.baseUrl = baseUrl;
        this.raw = new RawClient(baseUrl);
        this.partnerId = partnerId;
        this.keyId = keyId;
        this.secret = secret;
    }

    public NativeClient withSecret(String newSecret) {
        return new NativeClient(baseUrl, partnerId, keyId, newSecret);
    }

    public Http get(String pathAndQuery) {
        return send("GET", pathAndQuery, "", Map.of());
    }

    public Http post(String path, String body, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return send("POST", path, body, headers);
    }

    /** Signs with version 2 (Content-Type and Idempotency-Key taken from {@code headers}) and sends. */
    public Http send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        String timestamp = Long.toString(uniqueMillis());
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("X-Signature-Version", "2");
        return sendRaw(method, pathAndQuery, body, all, timestamp, signV2(timestamp, method, pathAndQuery,
                headers.get("Content-Type"), headers.get("Idempotency-Key"), body));
    }

    /** Signs with the deprecated version 1 (no X-Signature-Version header) and sends. */
    public Http sendV1(String method, String pathAndQuery, String body, Map<String, String> headers) {
        String timestamp = Long.toString(uniqueMillis());
        return sendRaw(method, pathAndQuery, body, headers, timestamp, sign(timestamp, method, pathAndQuery, body));
    }

    /** Strictly increasing timestamps, so two identical requests are never mistaken for a replay. */
    public static long uniqueMillis() {
        long now = System.currentTimeMillis();
        return LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, now));
    }

    /** A version 1 signature: timestamp \n METHOD \n path?query \n body. */
    public String sign(String timestamp, String method, String pathAndQuery, String body) {
        return hmac(timestamp + "\n" + method + "\n" + pathAndQuery + "\n" + body);
    }

    /** A version 2 signature: v2 \n timestamp \n METHOD \n path?query \n Content-Type \n Idempotency-Key \n body. */
    public String signV2(String timestamp, String method, String pathAndQuery, String contentType,
                         String idempotencyKey, String body) {
        return hmac("v2\n" + timestamp + "\n" + method + "\n" + pathAndQuery + "\n" + (contentType == null ? "" : contentType)
                + "\n" + (idempotencyKey == null ? "" : idempotencyKey) + "\n" + body);
    }

    private String hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends with the given timestamp and signature: lets tests forge stale, wrong or replayed requests. */
    public Http sendRaw(String method, String pathAndQuery, String body, Map<String, String> headers,
                        String timestamp, String signature) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (keyId != null) {
            all.put("X-Api-Key", keyId);
        }
        if (timestamp != null) {
            all.put("X-Timestamp", timestamp);
        }
        if (signature != null) {
            all.put("X-Signature", signature);
        }
        return raw.send(method, pathAndQuery, body.isEmpty() ? null : body, all);
    }

    public long availableInr() {
        return get("/v1/wallet?currency=INR").json().get("wallets").get(0).get("availableMinor").longValue();
    }
}
