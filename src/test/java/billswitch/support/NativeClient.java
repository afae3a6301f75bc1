package billswitch.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A partner's client for the native API, signing exactly as the README tells partners to:
 * base64(HMAC-SHA256(secret, timestamp + "\n" + METHOD + "\n" + path?query + "\n" + body)).
 * Written independently of the server's code so the test checks the documented scheme.
 */
public class NativeClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    private final String baseUrl;
    public final String partnerId;
    public final String keyId;
    private final String secret;

    public NativeClient(String baseUrl, String partnerId, String keyId, String secret) {
        this.baseUrl = baseUrl;
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

    public Http send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        String timestamp = Long.toString(uniqueMillis());
        return sendRaw(method, pathAndQuery, body, headers, timestamp, sign(timestamp, method, pathAndQuery, body));
    }

    /** Strictly increasing timestamps, so two identical requests are never mistaken for a replay. */
    private static long uniqueMillis() {
        long now = System.currentTimeMillis();
        return LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, now));
    }

    public String sign(String timestamp, String method, String pathAndQuery, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "\n" + method + "\n" + pathAndQuery + "\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends with the given timestamp and signature: lets tests forge stale, wrong or replayed requests. */
    public Http sendRaw(String method, String pathAndQuery, String body, Map<String, String> headers,
                        String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (keyId != null) {
            request.header("X-Api-Key", keyId);
        }
        if (timestamp != null) {
            request.header("X-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-Signature", signature);
        }
        headers.forEach(request::header);
        try {
            return Http.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long availableInr() {
        return get("/v1/wallet?currency=INR").json().get("wallets").get(0).get("availableMinor").longValue();
    }
}
