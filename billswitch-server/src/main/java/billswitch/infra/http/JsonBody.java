package billswitch.infra.http;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict reading of a JSON object body: types are checked, never coerced; unknown fields are refused;
 * every problem is collected so the client hears about all of them at once.
 */
public final class JsonBody {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_TEXT = 256;

    private final JsonNode root;
    /** Field to problem; a nested object's body shares its parent's, its fields named {@code parent.field}. */
    private final Map<String, String> problems;
    private final String prefix;

    private JsonBody(JsonNode root) {
        this(root, new LinkedHashMap<>(), "");
    }

    private JsonBody(JsonNode root, Map<String, String> problems, String prefix) {
        this.root = root;
        this.problems = problems;
        this.prefix = prefix;
    }

    /** Parses the body; MALFORMED_JSON when it is not JSON, INVALID_REQUEST when it is not an object. */
    public static JsonBody parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON, "The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON,
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
        }
        return new JsonBody(node);
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Refuses any field outside the allowed set. */
    public JsonBody allowOnly(Set<String> allowed) {
        for (String name : new TreeSet<>(root.propertyNames())) {
            if (!allowed.contains(name)) {
                problem(name, "unknown field");
            }
        }
        return this;
    }

    public String requiredString(String name) {
        String value = optionalString(name);
        if (value == null && !problems.containsKey(prefix + name)) {
            problem(name, "is required");
        }
        return value;
    }

    public String optionalString(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            problem(name, "must be a string");
            return null;
        }
        String value = node.stringValue();
        if (value.isBlank()) {
            problem(name, "must not be blank");
            return null;
        }
        if (value.length() > MAX_TEXT) {
            problem(name, "must be at most " + MAX_TEXT + " characters");
            return null;
        }
        return value;
    }

    /** A whole number; decimals, strings and numbers beyond the range of a long are refused. */
    public Long requiredLong(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            problem(name, "is required");
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problem(name, "must be a whole number of minor units");
            return null;
        }
        return node.longValue();
    }

    /** An object whose values are all strings, e.g. customer parameters. */
    public Map<String, String> optionalStringMap(String name) {
        JsonNode node = root.get(name);
        Map<String, String> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            problem(name, "must be an object of strings");
            return result;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                problem(name + "." + e.getKey(), "must be a string");
            } else if (e.getValue().stringValue().length() > MAX_TEXT) {
                problem(name + "." + e.getKey(), "must be at most " + MAX_TEXT + " characters");
            } else {
                result.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return result;
    }

    /** A whole number, or null when absent. */
    public Long optionalLong(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problem(name, "must be a whole number");
            return null;
        }
        return node.longValue();
    }

    /** A whole number within int range, or null when absent. */
    public Integer optionalInt(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problem(name, "must be a whole number");
            return null;
        }
        return node.intValue();
    }

    public Boolean optionalBoolean(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            problem(name, "must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    /**
     * A nested object, read with the same rules; its problems are this body's, named {@code name.field}. Null when
     * absent (or not an object: a problem then).
     */
    public JsonBody optionalObject(String name, Set<String> allowed) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problem(name, "must be an object");
            return null;
        }
        return new JsonBody(node, problems, prefix + name + ".").allowOnly(allowed);
    }

    public void problem(String field, String reason) {
        problems.put(prefix + field, reason);
    }

    /** Throws INVALID_REQUEST naming every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The request has " + problems.size() + " invalid field(s).", problems);
        }
    }
}
