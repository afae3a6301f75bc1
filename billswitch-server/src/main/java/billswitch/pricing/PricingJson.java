package billswitch.pricing;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Reads and checks a pricing plan version's rules and a biller's CCF slabs from JSON (the admin API's bodies and
 * the console's forms). Strict: types are checked, never coerced; unknown fields are refused; every problem is
 * collected, named by its path ({@code rules[0].commission.slabs[1].fromMinor}), and answered at once as
 * INVALID_REQUEST. A plan is refused when a rule names no operator or category, an unknown one, or both; two rules
 * name the same one; a value is negative or a percentage above 10000 bps; a cap is below its minimum; a slab's
 * upper edge is not above its lower; or two slabs overlap (each covers [fromMinor, toMinor)).
 */
public final class PricingJson {
    static final int MAX_RULES = 2000;
    static final int MAX_SLABS = 50;
    private static final Set<String> VERSION_FIELDS = Set.of("effectiveFrom", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("operatorId", "categoryId", "commission", "fee");
    private static final Set<String> CHARGE_FIELDS = Set.of("type", "flatMinor", "bps", "slabs", "minMinor", "capMinor");
    private static final Set<String> SLAB_FIELDS = Set.of("fromMinor", "toMinor", "flatMinor", "bps");
    private static final Set<String> CCF_FIELDS = Set.of("paymentMode", "fromMinor", "toMinor", "flatMinor", "bps");

    private final Map<String, String> problems = new LinkedHashMap<>();

    private PricingJson() {
    }

    /** A new version as asked: when it starts (null: now) and its rules. */
    public record NewVersion(Instant effectiveFrom, List<PricingRule> rules) {
    }

    /**
     * A version's body ({"effectiveFrom", "rules"}); {@code operators} and {@code categories} say which ids exist.
     * INVALID_REQUEST naming every field in error.
     */
    public static NewVersion version(JsonNode body, Predicate<String> operators, Predicate<String> categories) {
        PricingJson in = new PricingJson();
        in.onlyFields(body, "", VERSION_FIELDS);
        Instant from = null;
        JsonNode f = body.get("effectiveFrom");
        if (f != null && !f.isNull()) {
            if (!f.isString()) {
                in.problem("effectiveFrom", "must be a time such as 2026-12-08T00:00:00Z");
            } else {
                try {
                    from = Instant.parse(f.stringValue());
                } catch (DateTimeParseException e) {
                    in.problem("effectiveFrom", "must be a time such as 2026-12-08T00:00:00Z");
                }
            }
        }
        List<PricingRule> rules = in.rules(body.get("rules"), operators, categories);
        in.refuse("The plan version");
        return new NewVersion(from, rules);
    }

    /** A biller's CCF slabs: {"slabs": [{"paymentMode" (optional: any mode), "fromMinor", "toMinor", "flatMinor", "bps"}]}. */
    public static List<CcfSlab> ccfSlabs(JsonNode body) {
        PricingJson in = new PricingJson();
        in.onlyFields(body, "", Set.of("slabs"));
        JsonNode list = body.get("slabs");
        List<CcfSlab> slabs = new ArrayList<>();
        if (list == null || !list.isArray()) {
            in.problem("slabs", "is required: a list of slabs (empty: the biller's catalog fee is its CCF)");
        } else if (list.size() > MAX_SLABS * 4) {
            in.problem("slabs", "must have at most " + MAX_SLABS * 4 + " slabs");
        } else {
            Map<PaymentMode, List<Integer>> byMode = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String at = "slabs[" + i + "].";
                JsonNode s = list.get(i);
                if (!s.isObject()) {
                    in.problem("slabs[" + i + "]", "must be an object");
                    continue;
                }
                in.onlyFields(s, at, CCF_FIELDS);
                PaymentMode mode = null;
                JsonNode m = s.get("paymentMode");
                if (m != null && !m.isNull()) {
                    mode = m.isString() ? PricingJson.mode(m.stringValue()) : null;
                    if (mode == null) {
                        in.problem(at + "paymentMode", "must be one of " + Arrays.toString(PaymentMode.values())
                                + ", or absent for any mode");
                    }
                }
                Slab slab = in.slab(s, at);
                if (slab != null) {
                    slabs.add(new CcfSlab(mode, slab.fromMinor(), slab.toMinor(), slab.flatMinor(), slab.bps()));
                    byMode.computeIfAbsent(mode, x -> new ArrayList<>()).add(slabs.size() - 1);
                }
            }
            if (in.problems.isEmpty()) {
                for (List<Integer> group : byMode.values()) {
                    in.noOverlap(group.stream().map(j -> slabs.get(j).slab()).toList(), group, "slabs");
                }
            }
        }
        in.refuse("The CCF slabs");
        return slabs;
    }

    /** A payment mode by its name (any case; spaces or hyphens for underscores), or null. */
    public static PaymentMode mode(String name) {
        if (name == null) {
            return null;
        }
        try {
            return PaymentMode.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<PricingRule> rules(JsonNode list, Predicate<String> operators, Predicate<String> categories) {
        List<PricingRule> rules = new ArrayList<>();
        if (list == null || !list.isArray()) {
            problem("rules", "is required: a list of rules, each for an operatorId or a categoryId");
            return rules;
        }
        if (list.size() > MAX_RULES) {
            problem("rules", "must have at most " + MAX_RULES + " rules");
            return rules;
        }
        Map<String, Integer> seenOperators = new HashMap<>();
        Map<String, Integer> seenCategories = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "rules[" + i + "]";
            JsonNode r = list.get(i);
            if (!r.isObject()) {
                problem(at, "must be an object");
                continue;
            }
            onlyFields(r, at + ".", RULE_FIELDS);
            String operator = text(r, at + ".operatorId");
            String category = text(r, at + ".categoryId");
            if (operator != null && category != null) {
                problem(at + ".categoryId", "give operatorId or categoryId, not both");
            } else if (operator == null && category == null && !problems.containsKey(at + ".operatorId")
                    && !problems.containsKey(at + ".categoryId")) {
                problem(at + ".operatorId", "is required (or categoryId)");
            } else if (operator != null) {
                if (!operators.test(operator)) {
                    problem(at + ".operatorId", "no operator '" + operator + "'");
                }
                Integer earlier = seenOperators.putIfAbsent(operator, i);
                if (earlier != null) {
                    problem(at + ".operatorId", "rules[" + earlier + "] is already for operator '" + operator + "'");
                }
            } else if (category != null) {
                if (!categories.test(category)) {
                    problem(at + ".categoryId", "no category '" + category + "'");
                }
                Integer earlier = seenCategories.putIfAbsent(category, i);
                if (earlier != null) {
                    problem(at + ".categoryId", "rules[" + earlier + "] is already for category '" + category + "'");
                }
            }
            Charge commission = charge(r.get("commission"), at + ".commission");
            Charge fee = charge(r.get("fee"), at + ".fee");
            if (isAbsent(r.get("commission")) && isAbsent(r.get("fee"))) {
                problem(at + ".commission", "a rule needs a commission, a fee or both");
            }
            rules.add(new PricingRule(operator, category, commission, fee));
        }
        return rules;
    }

    private Charge charge(JsonNode c, String at) {
        if (isAbsent(c)) {
            return null;
        }
        if (!c.isObject()) {
            problem(at, "must be an object");
            return null;
        }
        int before = problems.size();
        onlyFields(c, at + ".", CHARGE_FIELDS);
        String typeName = text(c, at + ".type");
        Charge.Type type = null;
        if (typeName == null) {
            problems.putIfAbsent(at + ".type", "is required: FLAT, PERCENT or SLABS");
        } else {
            try {
                type = Charge.Type.valueOf(typeName);
            } catch (IllegalArgumentException e) {
                problem(at + ".type", "must be FLAT, PERCENT or SLABS");
            }
        }
        Long flat = amount(c, at + ".flatMinor", "flatMinor");
        Integer bps = bps(c, at + ".bps", "bps");
        Long min = amount(c, at + ".minMinor", "minMinor");
        Long cap = amount(c, at + ".capMinor", "capMinor");
        List<Slab> slabs = new ArrayList<>();
        JsonNode list = c.get("slabs");
        if (type != null) {
            switch (type) {
                case FLAT -> {
                    needs(flat, c, at, "flatMinor", "a FLAT charge");
                    refuses(c, at, "FLAT", "bps", "slabs");
                }
                case PERCENT -> {
                    needs(bps, c, at, "bps", "a PERCENT charge");
                    refuses(c, at, "PERCENT", "flatMinor", "slabs");
                }
                case SLABS -> refuses(c, at, "SLABS", "flatMinor", "bps");
            }
        }
        if (type == Charge.Type.SLABS) {
            if (list == null || !list.isArray() || list.isEmpty()) {
                problem(at + ".slabs", "is required: at least one slab {fromMinor, toMinor, flatMinor, bps}");
            } else if (list.size() > MAX_SLABS) {
                problem(at + ".slabs", "must have at most " + MAX_SLABS + " slabs");
            } else {
                List<Integer> indexes = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonNode s = list.get(i);
                    String sat = at + ".slabs[" + i + "]";
                    if (!s.isObject()) {
                        problem(sat, "must be an object");
                        continue;
                    }
                    onlyFields(s, sat + ".", SLAB_FIELDS);
                    Slab slab = slab(s, sat + ".");
                    if (slab != null) {
                        slabs.add(slab);
                        indexes.add(i);
                    }
                }
                if (slabs.size() == list.size()) {
                    noOverlap(slabs, indexes, at + ".slabs");
                }
            }
        }
        if (min != null && cap != null && cap < min) {
            problem(at + ".capMinor", "must not be below minMinor (" + min + ")");
        }
        if (problems.size() > before || type == null) {
            return null;
        }
        return new Charge(type, flat == null ? 0 : flat, bps == null ? 0 : bps, slabs, min, cap);
    }

    /** A slab's fields at {@code at} ("slabs[0]."), or null with its problems noted. */
    private Slab slab(JsonNode s, String at) {
        Long from = amount(s, at + "fromMinor", "fromMinor");
        Long to = amount(s, at + "toMinor", "toMinor");
        Long flat = amount(s, at + "flatMinor", "flatMinor");
        Integer bps = bps(s, at + "bps", "bps");
        if (from == null && !problems.containsKey(at + "fromMinor")) {
            problem(at + "fromMinor", "is required (the lowest amount the slab covers, inclusive)");
        }
        if (flat == null && bps == null && !problems.containsKey(at + "flatMinor") && !problems.containsKey(at + "bps")) {
            problem(at + "flatMinor", "a slab needs flatMinor, bps or both");
        }
        if (from != null && to != null && to <= from) {
            problem(at + "toMinor", "must be above fromMinor (" + from + "): a slab covers fromMinor up to, not including, toMinor");
        }
        if (from == null || problems.containsKey(at + "toMinor") || problems.containsKey(at + "flatMinor")
                || problems.containsKey(at + "bps")) {
            return null;
        }
        return new Slab(from, to, flat == null ? 0 : flat, bps == null ? 0 : bps);
    }

    private void noOverlap(List<Slab> slabs, List<Integer> indexes, String at) {
        for (int i = 0; i < slabs.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (slabs.get(i).overlaps(slabs.get(j))) {
                    Slab other = slabs.get(j);
                    problem(at + "[" + indexes.get(i) + "].fromMinor", "overlaps " + at + "[" + indexes.get(j) + "] ("
                            + other.fromMinor() + " to " + (other.toMinor() == null ? "any amount" : other.toMinor())
                            + "); a slab covers fromMinor up to, not including, toMinor");
                    break;
                }
            }
        }
    }

    private void needs(Object value, JsonNode c, String at, String field, String what) {
        if (value == null && !problems.containsKey(at + "." + field)) {
            problem(at + "." + field, "is required for " + what);
        }
    }

    private void refuses(JsonNode c, String at, String type, String... fields) {
        for (String f : fields) {
            if (!isAbsent(c.get(f))) {
                problem(at + "." + f, "is not used by a " + type + " charge");
            }
        }
    }

    private Long amount(JsonNode o, String path, String name) {
        JsonNode n = o.get(name);
        if (isAbsent(n)) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            problem(path, "must be a whole number of minor units");
            return null;
        }
        if (n.longValue() < 0) {
            problem(path, "must not be negative");
            return null;
        }
        if (n.longValue() > billswitch.shared.Money.MAX_MAJOR * 100) {
            problem(path, "must be at most " + billswitch.shared.Money.MAX_MAJOR * 100);
            return null;
        }
        return n.longValue();
    }

    private Integer bps(JsonNode o, String path, String name) {
        JsonNode n = o.get(name);
        if (isAbsent(n)) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            problem(path, "must be a whole number of basis points (100 = 1%)");
            return null;
        }
        if (n.intValue() < 0) {
            problem(path, "must not be negative");
            return null;
        }
        if (n.intValue() > 10_000) {
            problem(path, "must be at most 10000 (100%)");
            return null;
        }
        return n.intValue();
    }

    private String text(JsonNode o, String path) {
        JsonNode n = o.get(path.substring(path.lastIndexOf('.') + 1));
        if (isAbsent(n)) {
            return null;
        }
        if (!n.isString() || n.stringValue().isBlank() || n.stringValue().length() > 256) {
            problem(path, "must be a non-blank string of at most 256 characters");
            return null;
        }
        return n.stringValue();
    }

    private void onlyFields(JsonNode o, String at, Set<String> allowed) {
        for (String name : new TreeSet<>(o.propertyNames())) {
            if (!allowed.contains(name)) {
                problem(at + name, "unknown field");
            }
        }
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull();
    }

    private void problem(String field, String reason) {
        problems.putIfAbsent(field, reason);
    }

    private void refuse(String what) {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    what + " has " + problems.size() + " invalid field(s): " + problems + ".", problems);
        }
    }
}
