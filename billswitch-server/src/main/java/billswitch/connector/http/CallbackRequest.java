package billswitch.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A status notification as an upstream posted it: headers (names case-insensitive), query string and raw body. */
public record CallbackRequest(Map<String, String> headers, String query, byte[] body) {

    public CallbackRequest {
        TreeMap<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        folded.putAll(headers);
        headers = folded;
        body = body == null ? new byte[0] : body;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
