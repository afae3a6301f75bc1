package billswitch.api.dialect.appotapay;

import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * AppotaPay's two schemes. The JWT: HS256 over header {"typ":"JWT","alg":"HS256","cty":"appotapay-api;v=1"}
 * and payload {"iss": partner code, "jti": api key + "-" + unix seconds, "api_key": api key, "exp": unix
 * seconds}, keyed with the secret key's UTF-8 bytes. The parameter signature: the listed fields sorted by
 * name, joined as k=v with '&' (raw values), HMAC-SHA256 with the secret key, lowercase hex.
 */
final class AppotaSignatures {
    static final String JWT_HEADER = "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private AppotaSignatures() {
    }

    static String jwt(String partnerCode, String apiKey, String secretKey, long issuedAtSeconds, long expSeconds) {
        String payload = "{\"iss\":\"" + partnerCode + "\",\"jti\":\"" + apiKey + "-" + issuedAtSeconds
                + "\",\"api_key\":\"" + apiKey + "\",\"exp\":" + expSeconds + "}";
        String signingInput = URL.encodeToString(JWT_HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + URL.encodeToString(jwtSignature(secretKey, signingInput));
    }

    static byte[] jwtSignature(String secretKey, String signingInput) {
        return Hmac.sha256(secretKey.getBytes(StandardCharsets.UTF_8), signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /** The text that is signed: fields sorted by name, "k=v" joined with '&', values raw. */
    static String signingText(Map<String, String> fields) {
        return new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    static String sign(String secretKey, Map<String, String> fields) {
        return Hmac.sha256Hex(secretKey, signingText(fields));
    }
}
