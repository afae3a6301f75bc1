package billswitch.connector.appotapay;

import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our credentials with AppotaPay and the two things they sign (protocols.md section 3).
 * <ul>
 *   <li>The JWT of {@code X-APPOTAPAY-AUTH: Bearer <JWT>}: header {"typ":"JWT","alg":"HS256",
 *       "cty":"appotapay-api;v=1"}, payload {"iss": partnerCode, "jti": apiKey + "-" + unix seconds,
 *       "api_key": apiKey, "exp": unix seconds}, HS256 keyed with the secretKey's UTF-8 bytes. A fresh token
 *       per request, expiring {@link #TOKEN_LIFETIME} after it is sent (AppotaPay states no lifetime).</li>
 *   <li>The parameter {@code signature}, on requests and on AppotaPay's answers alike: the listed fields
 *       sorted by name, joined as k=v with '&amp;' (raw values, no URL-encoding), HMAC-SHA256 with the
 *       secretKey, lowercase hex.</li>
 * </ul>
 * The secretKey never leaves this class; {@link #toString} names the partner code only.
 */
final class AppotaKeys {
    /** How long a token stays valid: long enough for a clock a little off, short enough to be worthless if seen. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final String JWT_HEADER = "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String partnerCode;
    private final String apiKey;
    private final String secretKey;

    AppotaKeys(String partnerCode, String apiKey, String secretKey) {
        this.partnerCode = partnerCode;
        this.apiKey = apiKey;
        this.secretKey = secretKey;
    }

    /** The value of X-APPOTAPAY-AUTH for a request sent at {@code now}. */
    String authorization(Instant now) {
        long seconds = now.getEpochSecond();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", partnerCode);
        payload.put("jti", apiKey + "-" + seconds);
        payload.put("api_key", apiKey);
        payload.put("exp", seconds + TOKEN_LIFETIME.toSeconds());
        String signingInput = BASE64URL.encodeToString(JWT_HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(JSON.writeValueAsBytes(payload));
        byte[] signature = Hmac.sha256(secretKey.getBytes(StandardCharsets.UTF_8),
                signingInput.getBytes(StandardCharsets.US_ASCII));
        return "Bearer " + signingInput + "." + BASE64URL.encodeToString(signature);
    }

    /** The text AppotaPay signs: the fields sorted by name, "k=v" joined with '&amp;', values raw. */
    static String signingText(Map<String, String> fields) {
        return new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    String sign(Map<String, String> fields) {
        return Hmac.sha256Hex(secretKey, signingText(fields));
    }

    /** Whether a presented signature (hex, any case) is ours over these fields; compared in constant time. */
    boolean signed(String presented, Map<String, String> fields) {
        return presented != null && Hmac.equal(presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                sign(fields).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "AppotaKeys[" + partnerCode + "]";
    }
}
