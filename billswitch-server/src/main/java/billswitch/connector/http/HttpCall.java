package billswitch.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request a protocol wants sent: method, path with its query string (relative to the connector's base
 * URL, starting with '/'), headers and body. Built by a {@link Protocol}, sent by {@link HttpConnector}.
 */
public record HttpCall(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {

    public HttpCall {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpCall get(String pathAndQuery, Map<String, String> headers) {
        return new HttpCall("GET", pathAndQuery, headers, null);
    }

    public static HttpCall post(String pathAndQuery, Map<String, String> headers, String contentType, String body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", contentType);
        return new HttpCall("POST", pathAndQuery, all, body.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
