package billswitch.api.admin;

import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.catalog.Plan;
import billswitch.infra.http.JsonBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API's JSON for the catalog. Reading is strict, as {@link JsonBody} is: types are checked, never
 * coerced; unknown fields are refused; every problem is collected, named by its path in the request
 * ({@code params[0].regex}, {@code codes.ekoOperatorId}), and answered at once as INVALID_REQUEST. What the
 * values mean (limits, regexes, that a category exists) is the catalog's to check.
 */
final class CatalogJson {
    private static final int MAX_TEXT = 256;
    private static final int MAX_LIST = 100;
    private static final Set<String> CATEGORY_FIELDS = Set.of("id", "name", "group", "country", "providerId", "enabled");
    private static final Set<String> LOCATION_FIELDS = Set.of("id", "name", "abbreviation", "country", "providerId",
            "enabled");
    private static final Set<String> OPERATOR_FIELDS = Set.of("id", "name", "categoryId", "locationId", "kind", "country",
            "currency", "fetchOption", "exactness", "minAmountMinor", "maxAmountMinor", "partialPayment", "channels",
            "feeFlatMinor", "feeBps", "commissionBps", "kycRequired", "enabled", "codes", "params");
    private static final Set<String> CODE_FIELDS = Set.of("aopayOperator", "aopayProductId", "ekoOperatorId",
            "appotaServiceCode", "appotaTelco");
    private static final Set<String> PARAM_FIELDS = Set.of("name", "label", "type", "regex", "errorMessage", "required",
            "account", "values");
    private static final Set<String> PLAN_FIELDS = Set.of("code", "locationId", "amountMinor", "description", "validity");

    private final Map<String, String> problems = new LinkedHashMap<>();
    /** Where this object sits in a larger document ({@code operators[3].}): every problem's field is named under it. */
    private final String at;

    CatalogJson() {
        this("");
    }

    CatalogJson(String at) {
        this.at = at;
    }

    /**
     * An operator as the admin API shows it: the fields it is created with, then the connector a sandbox operator
     * routes to when no routes are configured (null for one created here; never set through this API).
     */
    record OperatorView(String id, String name, String categoryId, String locationId, Operator.Kind kind, String country,
                        Currency currency, Operator.FetchOption fetchOption, Operator.Exactness exactness,
                        long minAmountMinor, long maxAmountMinor, boolean partialPayment, List<Operator.Channel> channels,
                        long feeFlatMinor, int feeBps, int commissionBps, boolean kycRequired, boolean enabled,
                        Operator.ProviderCodes codes, List<Param> params, String connector) {
        static OperatorView of(Operator o) {
            return new OperatorView(o.id(), o.name(), o.categoryId(), o.locationId(), o.kind(), o.country(), o.currency(),
                    o.fetchOption(), o.exactness(), o.minAmountMinor(), o.maxAmountMinor(), o.partialPayment(),
                    o.channels(), o.feeFlatMinor(), o.feeBps(), o.commissionBps(), o.kycRequired(), o.enabled(),
                    o.codes(), o.params(), o.connector());
        }
    }

    /** The body as a JSON node: MALFORMED_JSON when it is not JSON, INVALID_REQUEST when it is not an object. */
    static JsonNode body(byte[] body) {
        JsonBody.parse(body);
        return JsonBody.mapper().readTree(body);
    }

    /**
     * The stored operator with a PATCH body applied as a JSON merge patch (RFC 7396): each field given replaces
     * the stored one, null clears it (to its default, or "is required"), {@code codes} merge key by key, and
     * {@code params}, an array, is replaced whole.
     */
    static JsonNode patched(Operator stored, JsonNode patch) {
        ObjectNode current = JsonBody.mapper().valueToTree(OperatorView.of(stored));
        current.remove("connector");
        return mergePatch(current, patch);
    }

    /** A stored category, location or plan with a PATCH body applied as a JSON merge patch. */
    static JsonNode patched(Object stored, JsonNode patch, String... hidden) {
        ObjectNode current = JsonBody.mapper().valueToTree(stored);
        for (String field : hidden) {
            current.remove(field);
        }
        return mergePatch(current, patch);
    }

    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : JsonBody.mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    Category category(JsonNode root) {
        Fields in = new Fields(root, "", CATEGORY_FIELDS);
        String id = in.text("id", true);
        String name = in.text("name", true);
        String group = in.text("group", true);
        String country = in.text("country", true);
        Integer providerId = in.integer("providerId", null);
        Boolean enabled = in.bool("enabled", true);
        validate();
        return new Category(id, name, group, country, providerId, enabled);
    }

    Location location(JsonNode root) {
        Fields in = new Fields(root, "", LOCATION_FIELDS);
        String id = in.text("id", true);
        String name = in.text("name", true);
        String abbreviation = in.text("abbreviation", true);
        String country = in.text("country", true);
        Integer providerId = in.integer("providerId", null);
        Boolean enabled = in.bool("enabled", true);
        validate();
        return new Location(id, name, abbreviation, country, providerId, enabled);
    }

    /** A whole operator; the connector is the stored one's (null for a new operator). */
    Operator operator(JsonNode root, String connector) {
        Fields in = new Fields(root, "", OPERATOR_FIELDS);
        if (root.has("connector")) {
            problems.put(at + "connector", "is not set through the admin API: an operator created here is paid through its routes");
        }
        String id = in.text("id", true);
        String name = in.text("name", true);
        String categoryId = in.text("categoryId", true);
        String locationId = in.text("locationId", false);
        Operator.Kind kind = in.word("kind", Operator.Kind.class, null);
        String country = in.text("country", true);
        Currency currency = in.word("currency", Currency.class, null);
        Operator.FetchOption fetchOption = in.word("fetchOption", Operator.FetchOption.class, null);
        Operator.Exactness exactness = in.word("exactness", Operator.Exactness.class, null);
        Long min = in.whole("minAmountMinor", null);
        Long max = in.whole("maxAmountMinor", null);
        Boolean partialPayment = in.bool("partialPayment", false);
        List<Operator.Channel> channels = in.words("channels", Operator.Channel.class, List.of(Operator.Channel.INSTANT));
        Long feeFlat = in.whole("feeFlatMinor", 0L);
        Integer feeBps = in.integer("feeBps", 0);
        Integer commissionBps = in.integer("commissionBps", 0);
        Boolean kyc = in.bool("kycRequired", false);
        Boolean enabled = in.bool("enabled", true);
        Operator.ProviderCodes codes = codes(in.object("codes"));
        List<Param> params = params(in.array("params", true));
        validate();
        return new Operator(id, name, categoryId, locationId, kind, country, currency, fetchOption, exactness, min, max,
                partialPayment, channels, feeFlat, feeBps, commissionBps, kyc, connector, enabled, codes, params);
    }

    Plan plan(String operatorId, JsonNode root) {
        Fields in = new Fields(root, "", PLAN_FIELDS);
        String code = in.text("code", true);
        String locationId = in.text("locationId", false);
        Long amount = in.whole("amountMinor", null);
        String description = in.text("description", true);
        String validity = in.text("validity", false);
        validate();
        return new Plan(operatorId, code, locationId, amount, description, validity);
    }

    private Operator.ProviderCodes codes(JsonNode node) {
        if (node == null) {
            return new Operator.ProviderCodes(null, null, null, null, null);
        }
        Fields in = new Fields(node, "codes.", CODE_FIELDS);
        return new Operator.ProviderCodes(in.text("aopayOperator", false), in.integer("aopayProductId", null, false),
                in.integer("ekoOperatorId", null, false), in.text("appotaServiceCode", false), in.text("appotaTelco", false));
    }

    private List<Param> params(JsonNode array) {
        List<Param> params = new ArrayList<>();
        if (array == null) {
            return params;
        }
        for (int i = 0; i < array.size(); i++) {
            String path = at + "params[" + i + "]";
            JsonNode item = array.get(i);
            if (!item.isObject()) {
                problems.put(path, "must be an object");
                continue;
            }
            Fields in = new Fields(item, path + ".", PARAM_FIELDS);
            String name = in.text("name", true);
            String label = in.text("label", true);
            Param.Type type = in.word("type", Param.Type.class, null);
            String regex = in.text("regex", false);
            String errorMessage = in.text("errorMessage", false);
            Boolean required = in.bool("required", true);
            Boolean account = in.bool("account", false);
            List<String> values = in.texts("values");
            if (name != null && label != null && type != null && required != null && account != null) {
                params.add(new Param(name, label, type, regex, errorMessage, required, account, values));
            }
        }
        return params;
    }

    /** The problems found so far, for a caller reading a larger document (the catalog file) before it answers. */
    Map<String, String> problems() {
        return problems;
    }

    /** Throws INVALID_REQUEST naming every problem found so far. */
    void validate() {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The request has " + problems.size() + " invalid field(s).", problems);
        }
    }

    /** One JSON object of the request, its problems named under {@code path}. */
    private final class Fields {
        private final JsonNode node;
        private final String path;

        Fields(JsonNode node, String path, Set<String> allowed) {
            this.node = node;
            this.path = path.startsWith(at) ? path : at + path;
            for (String name : new TreeSet<>(node.propertyNames())) {
                if (!allowed.contains(name)) {
                    problems.put(this.path + name, "unknown field");
                }
            }
        }

        /** The value, or null when absent or null (a problem when required). */
        private JsonNode value(String name, boolean required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    problems.put(path + name, "is required");
                }
                return null;
            }
            return value;
        }

        String text(String name, boolean required) {
            JsonNode value = value(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isString()) {
                problems.put(path + name, "must be a string");
                return null;
            }
            String text = value.stringValue();
            if (text.isBlank()) {
                problems.put(path + name, "must not be blank");
                return null;
            }
            if (text.length() > MAX_TEXT) {
                problems.put(path + name, "must be at most " + MAX_TEXT + " characters");
                return null;
            }
            return text;
        }

        /** A whole number of minor units; {@code otherwise} when absent, required when that is null. */
        Long whole(String name, Long otherwise) {
            JsonNode value = value(name, otherwise == null);
            if (value == null) {
                return otherwise;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                problems.put(path + name, "must be a whole number");
                return null;
            }
            return value.longValue();
        }

        Integer integer(String name, Integer otherwise) {
            return integer(name, otherwise, otherwise == null);
        }

        Integer integer(String name, Integer otherwise, boolean required) {
            JsonNode value = value(name, required);
            if (value == null) {
                return otherwise;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                problems.put(path + name, "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
                return null;
            }
            return value.intValue();
        }

        Boolean bool(String name, boolean otherwise) {
            JsonNode value = value(name, false);
            if (value == null) {
                return otherwise;
            }
            if (!value.isBoolean()) {
                problems.put(path + name, "must be true or false");
                return null;
            }
            return value.booleanValue();
        }

        /** One of the enum's words, exactly as written; required when {@code otherwise} is null. */
        <E extends Enum<E>> E word(String name, Class<E> type, E otherwise) {
            JsonNode value = value(name, otherwise == null);
            if (value == null) {
                return otherwise;
            }
            E word = value.isString() ? wordOf(type, value.stringValue()) : null;
            if (word == null) {
                problems.put(path + name, "must be one of " + wordsOf(type));
            }
            return word;
        }

        <E extends Enum<E>> List<E> words(String name, Class<E> type, List<E> otherwise) {
            JsonNode array = array(name, false);
            if (array == null) {
                return problems.containsKey(path + name) ? null : otherwise;
            }
            List<E> words = new ArrayList<>();
            for (JsonNode item : array) {
                E word = item.isString() ? wordOf(type, item.stringValue()) : null;
                if (word == null) {
                    problems.put(path + name, "must be an array of " + wordsOf(type));
                    return null;
                }
                words.add(word);
            }
            return words;
        }

        List<String> texts(String name) {
            JsonNode array = array(name, false);
            List<String> texts = new ArrayList<>();
            if (array == null) {
                return texts;
            }
            for (JsonNode item : array) {
                if (!item.isString() || item.stringValue().isBlank() || item.stringValue().length() > MAX_TEXT) {
                    problems.put(path + name, "must be an array of non-blank strings of at most " + MAX_TEXT + " characters");
                    return texts;
                }
                texts.add(item.stringValue());
            }
            return texts;
        }

        JsonNode array(String name, boolean required) {
            JsonNode value = value(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isArray()) {
                problems.put(path + name, "must be an array");
                return null;
            }
            if (value.size() > MAX_LIST) {
                problems.put(path + name, "must have at most " + MAX_LIST + " elements");
                return null;
            }
            return value;
        }

        JsonNode object(String name) {
            JsonNode value = value(name, false);
            if (value != null && !value.isObject()) {
                problems.put(path + name, "must be an object");
                return null;
            }
            return value;
        }
    }

    private static <E extends Enum<E>> E wordOf(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(text)).findFirst().orElse(null);
    }

    private static <E extends Enum<E>> String wordsOf(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
