package billswitch.api.dialect;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider request's fields as the provider's clients send them: a JSON object, a urlencoded form, a
 * multipart form or a query string. Values keep their text (numbers as written, nested JSON as compact
 * JSON); names are matched without regard to case, as the providers' own samples vary them.
 */
public final class Fields {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Map<String, String> values;
    private final Map<String, JsonNode> json;

    private Fields(Map<String, String> values, Map<String, JsonNode> json) {
        this.values = values;
        this.json = json;
    }

    /** The body's fields, by content type; MALFORMED_JSON for a JSON body that does not parse. */
    public static Fields of(HttpServletRequest request, byte[] body) {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return form(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
        }
        if (type.startsWith("multipart/")) {
            Map<String, String> values = new LinkedHashMap<>();
            request.getParameterMap().forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v.length == 0 ? "" : v[0]));
            return new Fields(values, Map.of());
        }
        return json(body);
    }

    public static Fields json(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON, "The request body is empty; a JSON object is expected.");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            String key = e.getKey().toLowerCase(Locale.ROOT);
            nodes.put(key, v);
            if (v.isNull()) {
                continue;
            }
            values.put(key, v.isContainer() ? MAPPER.writeValueAsString(v) : v.asString());
        }
        return new Fields(values, nodes);
    }

    public static Fields form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    values.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The form body is not valid urlencoding.");
                }
            }
        }
        return new Fields(values, Map.of());
    }

    /** The first of the names present, as text; null when none is or it is blank. */
    public String get(String... names) {
        for (String name : names) {
            String v = values.get(name.toLowerCase(Locale.ROOT));
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** The field's text; INVALID_REQUEST naming it when it is missing or blank. */
    public String required(String name) {
        String value = get(name);
        if (value == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, name + " is required.", Map.of(name, "is required"));
        }
        return value;
    }

    /** The JSON node a field was sent as (JSON bodies only), e.g. to tell a string from an array. */
    public JsonNode node(String name) {
        return json.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every field, names lower-cased. */
    public Map<String, String> all() {
        return Collections.unmodifiableMap(values);
    }
}
