package billswitch.support;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A response with its body parsed as JSON. */
public record Http(int status, String body, JsonNode json, HttpHeaders headers) {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    static Http of(HttpResponse<String> response) {
        JsonNode node;
        try {
            node = MAPPER.readTree(response.body());
        } catch (RuntimeException e) {
            node = null;
        }
        return new Http(response.statusCode(), response.body(), node, response.headers());
    }

    /** The first value of a response header, or null. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The catalog error code of an error answer. */
    public String errorCode() {
        return json == null || json.get("error") == null ? null : json.get("error").get("code").stringValue();
    }

    public String text(String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }

    public long number(String field) {
        return json.get(field).longValue();
    }
}
