package billswitch.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API with its bearer token. */
public class AdminClient {
    private final RawClient raw;
    private final String token;

    public AdminClient(String baseUrl, String token) {
        this.raw = new RawClient(baseUrl);
        this.token = token;
    }

    public Http get(String path) {
        return send("GET", path, null);
    }

    public Http post(String path, String body) {
        return send("POST", path, body);
    }

    public Http send(String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return raw.send(method, path, body, headers);
    }
}
