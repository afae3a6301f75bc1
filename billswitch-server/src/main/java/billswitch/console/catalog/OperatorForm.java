package billswitch.console.catalog;

import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.routing.Route;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.Currency;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator form's fields by name, as the admin API names them ({@code params[0].regex}, {@code codes.ekoOperatorId}),
 * so a refusal's fields land next to their inputs. Reads only what a form can get wrong by its shape (a number that is
 * not one, a word that is not in the list); every rule of the catalog is the catalog's ({@code CatalogRules}).
 */
final class OperatorForm {
    /** Parameter rows the form shows at least (an operator with more shows each of its own, and one blank). */
    static final int PARAM_ROWS = 4;
    /** Parameter rows read from a sent form at most. */
    static final int MAX_PARAM_ROWS = 40;

    private final Map<String, String> values;

    OperatorForm(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
        this.values.remove("_csrf");
    }

    Map<String, String> values() {
        return values;
    }

    static OperatorForm blank() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("country", "IN");
        v.put("currency", "INR");
        v.put("kind", "UTILITY");
        v.put("fetchOption", "OPTIONAL");
        v.put("exactness", "ADHOC");
        v.put("channels.INSTANT", "true");
        v.put("enabled", "true");
        v.put("feeFlatMinor", "0");
        v.put("feeBps", "0");
        v.put("commissionBps", "0");
        v.put("account", "0");
        v.put("params[0].required", "true");
        v.put("route.priority", "1");
        return new OperatorForm(v);
    }

    static OperatorForm of(Operator o, List<Route> routes) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("id", o.id());
        v.put("name", o.name());
        v.put("categoryId", o.categoryId());
        v.put("locationId", o.locationId() == null ? "" : o.locationId());
        v.put("kind", o.kind().name());
        v.put("country", o.country());
        v.put("currency", o.currency().name());
        v.put("fetchOption", o.fetchOption().name());
        v.put("exactness", o.exactness().name());
        v.put("minAmountMinor", Long.toString(o.minAmountMinor()));
        v.put("maxAmountMinor", Long.toString(o.maxAmountMinor()));
        v.put("feeFlatMinor", Long.toString(o.feeFlatMinor()));
        v.put("feeBps", Integer.toString(o.feeBps()));
        v.put("commissionBps", Integer.toString(o.commissionBps()));
        flag(v, "partialPayment", o.partialPayment());
        flag(v, "kycRequired", o.kycRequired());
        flag(v, "enabled", o.enabled());
        for (Operator.Channel c : o.channels()) {
            v.put("channels." + c.name(), "true");
        }
        Operator.ProviderCodes codes = o.codes();
        put(v, "codes.aopayOperator", codes.aopayOperator());
        put(v, "codes.aopayProductId", codes.aopayProductId());
        put(v, "codes.ekoOperatorId", codes.ekoOperatorId());
        put(v, "codes.appotaServiceCode", codes.appotaServiceCode());
        put(v, "codes.appotaTelco", codes.appotaTelco());
        for (int i = 0; i < o.params().size() && i < MAX_PARAM_ROWS; i++) {
            Param p = o.params().get(i);
            String at = "params[" + i + "].";
            v.put(at + "name", p.name());
            v.put(at + "label", p.label());
            v.put(at + "type", p.type().name());
            put(v, at + "regex", p.regex());
            put(v, at + "errorMessage", p.errorMessage());
            put(v, at + "values", p.values().isEmpty() ? null : String.join(",", p.values()));
            flag(v, at + "required", p.required());
            if (p.account()) {
                v.put("account", Integer.toString(i));
            }
        }
        if (!routes.isEmpty()) {
            Route r = routes.getFirst();
            v.put("route.connector", r.connector());
            v.put("route.upstreamCode", r.upstreamCode());
            v.put("route.priority", Integer.toString(r.priority()));
        }
        return new OperatorForm(v);
    }

    /** The operator the form describes; INVALID_REQUEST naming each field that is not even of the right shape. */
    Operator operator(String connector) {
        Map<String, String> problems = new LinkedHashMap<>();
        List<Operator.Channel> channels = new ArrayList<>();
        for (Operator.Channel c : Operator.Channel.values()) {
            if (on("channels." + c.name())) {
                channels.add(c);
            }
        }
        List<Param> params = new ArrayList<>();
        String account = values.getOrDefault("account", "0");
        for (int i = 0; i < MAX_PARAM_ROWS; i++) {
            String at = "params[" + i + "].";
            String name = text(at + "name");
            if (name == null) {
                continue;
            }
            Param.Type type = word(at + "type", Param.Type.class, problems);
            String list = text(at + "values");
            params.add(new Param(name, text(at + "label") == null ? name : text(at + "label"),
                    type == null ? Param.Type.AlphaNumeric : type, text(at + "regex"), text(at + "errorMessage"),
                    on(at + "required") || account.equals(Integer.toString(i)), account.equals(Integer.toString(i)),
                    list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()));
        }
        if (params.isEmpty()) {
            problems.put("params[0].name", "at least one parameter, the account, is required");
        }
        Operator o = new Operator(required("id", problems), required("name", problems), required("categoryId", problems),
                text("locationId"), word("kind", Operator.Kind.class, problems), required("country", problems),
                word("currency", Currency.class, problems), word("fetchOption", Operator.FetchOption.class, problems),
                word("exactness", Operator.Exactness.class, problems), number("minAmountMinor", problems, null),
                number("maxAmountMinor", problems, null), on("partialPayment"), channels,
                number("feeFlatMinor", problems, 0L), (int) (long) number("feeBps", problems, 0L),
                (int) (long) number("commissionBps", problems, 0L), on("kycRequired"), connector, on("enabled"),
                new Operator.ProviderCodes(text("codes.aopayOperator"), integer("codes.aopayProductId", problems),
                        integer("codes.ekoOperatorId", problems), text("codes.appotaServiceCode"), text("codes.appotaTelco")),
                params);
        if (!problems.isEmpty()) {
            throw CatalogPages.invalid(problems);
        }
        return o;
    }

    /** The rows the form shows: every parameter it has and one blank, at least {@link #PARAM_ROWS}. */
    int paramRows() {
        int last = -1;
        for (int i = 0; i < MAX_PARAM_ROWS; i++) {
            if (text("params[" + i + "].name") != null) {
                last = i;
            }
        }
        return Math.min(MAX_PARAM_ROWS, Math.max(PARAM_ROWS, last + 2));
    }

    /** The one route the form edits, or null when it names no connector. */
    RoutingAdmin.RouteDraft route() {
        String connector = text("route.connector");
        if (connector == null) {
            return null;
        }
        Map<String, String> problems = new LinkedHashMap<>();
        Long priority = number("route.priority", problems, 1L);
        if (!problems.isEmpty()) {
            throw CatalogPages.invalid(problems);
        }
        return new RoutingAdmin.RouteDraft(connector, text("route.upstreamCode"), (int) (long) priority, 1, null);
    }

    private static void flag(Map<String, String> v, String name, boolean on) {
        if (on) {
            v.put(name, "true");
        }
    }

    private static void put(Map<String, String> v, String name, Object value) {
        if (value != null) {
            v.put(name, value.toString());
        }
    }

    private boolean on(String name) {
        return "true".equals(values.get(name)) || "on".equals(values.get(name));
    }

    private String text(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private String required(String name, Map<String, String> problems) {
        String v = text(name);
        if (v == null) {
            problems.put(name, "is required");
            return "";
        }
        return v;
    }

    private Long number(String name, Map<String, String> problems, Long otherwise) {
        String v = text(name);
        if (v == null) {
            if (otherwise == null) {
                problems.put(name, "is required");
                return 0L;
            }
            return otherwise;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.put(name, "must be a whole number");
            return 0L;
        }
    }

    private Integer integer(String name, Map<String, String> problems) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            problems.put(name, "must be a whole number");
            return null;
        }
    }

    private <E extends Enum<E>> E word(String name, Class<E> type, Map<String, String> problems) {
        String v = text(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        problems.put(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        return type.getEnumConstants()[0];
    }
}
