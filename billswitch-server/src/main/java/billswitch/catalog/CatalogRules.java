package billswitch.catalog;

import billswitch.shared.Money;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a catalog entry must be before it is written, checked without the database: each rule answers the
 * field it concerns (as the admin API names it: {@code params[1].regex}, {@code codes.ekoOperatorId}) and why.
 * A payment trusts the catalog, so nothing reaches it that a payment could not use.
 */
final class CatalogRules {
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    private static final String ID_RULE = "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final Pattern PARAM_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,63}$");
    private static final Pattern PROVIDER_CODE = Pattern.compile("^[A-Za-z0-9_.-]{1,32}$");
    private static final Pattern TELCO = Pattern.compile("^[a-z0-9_.-]{1,32}$");
    private static final int MAX_PARAMS = 20;
    private static final int MAX_BPS = 10_000;

    private CatalogRules() {
    }

    static Map<String, String> category(Category c) {
        Map<String, String> problems = new LinkedHashMap<>();
        id(c.id(), problems);
        country(c.country(), problems);
        providerId(c.providerId(), problems);
        return problems;
    }

    static Map<String, String> location(Location l) {
        Map<String, String> problems = new LinkedHashMap<>();
        id(l.id(), problems);
        country(l.country(), problems);
        providerId(l.providerId(), problems);
        return problems;
    }

    static Map<String, String> operator(Operator o) {
        Map<String, String> problems = new LinkedHashMap<>();
        id(o.id(), problems);
        country(o.country(), problems);
        long ceiling = BigDecimal.valueOf(Money.MAX_MAJOR).movePointRight(o.currency().minorDigits()).longValueExact();
        if (o.minAmountMinor() < 1) {
            problems.put("minAmountMinor", "must be at least 1");
        }
        if (o.maxAmountMinor() < o.minAmountMinor()) {
            problems.put("maxAmountMinor", "must not be less than minAmountMinor (" + o.minAmountMinor() + ")");
        } else if (o.maxAmountMinor() > ceiling) {
            problems.put("maxAmountMinor", "must be at most " + ceiling + " (" + Money.MAX_MAJOR + " " + o.currency() + ")");
        }
        if (o.channels().isEmpty()) {
            problems.put("channels", "must name at least one channel");
        } else if (Set.copyOf(o.channels()).size() != o.channels().size()) {
            problems.put("channels", "must not name a channel twice");
        }
        if (o.feeFlatMinor() < 0) {
            problems.put("feeFlatMinor", "must not be negative");
        }
        basisPoints("feeBps", o.feeBps(), problems);
        basisPoints("commissionBps", o.commissionBps(), problems);
        codes(o.codes(), problems);
        params(o.params(), problems);
        return problems;
    }

    /** The operator is the plan's, as stored: the plan's amount must be one its limits allow. */
    static Map<String, String> plan(Plan p, Operator operator) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (!ID.matcher(p.code()).matches()) {
            problems.put("code", ID_RULE);
        }
        if (p.amountMinor() < operator.minAmountMinor() || p.amountMinor() > operator.maxAmountMinor()) {
            problems.put("amountMinor", "must be within the operator's limits, " + operator.minAmountMinor() + " to "
                    + operator.maxAmountMinor());
        }
        return problems;
    }

    private static void id(String id, Map<String, String> problems) {
        if (!ID.matcher(id).matches()) {
            problems.put("id", ID_RULE);
        }
    }

    private static void country(String country, Map<String, String> problems) {
        if (!COUNTRY.matcher(country).matches()) {
            problems.put("country", "must be an ISO 3166 country code, two capital letters (IN, VN)");
        }
    }

    private static void providerId(int providerId, Map<String, String> problems) {
        if (providerId < 0) {
            problems.put("providerId", "must not be negative");
        }
    }

    private static void basisPoints(String field, int bps, Map<String, String> problems) {
        if (bps < 0 || bps > MAX_BPS) {
            problems.put(field, "must be 0 to " + MAX_BPS + " basis points (100%)");
        }
    }

    private static void codes(Operator.ProviderCodes codes, Map<String, String> problems) {
        if (codes.aopayOperator() != null && !PROVIDER_CODE.matcher(codes.aopayOperator()).matches()) {
            problems.put("codes.aopayOperator", "must be 1-32 letters, digits, '_', '.' or '-'");
        }
        if (codes.aopayProductId() != null && codes.aopayProductId() < 1) {
            problems.put("codes.aopayProductId", "must be a positive number");
        }
        if (codes.ekoOperatorId() != null && codes.ekoOperatorId() < 1) {
            problems.put("codes.ekoOperatorId", "must be a positive number");
        }
        if (codes.appotaServiceCode() != null && !PROVIDER_CODE.matcher(codes.appotaServiceCode()).matches()) {
            problems.put("codes.appotaServiceCode", "must be 1-32 letters, digits, '_', '.' or '-'");
        }
        if (codes.appotaTelco() != null && !TELCO.matcher(codes.appotaTelco()).matches()) {
            problems.put("codes.appotaTelco", "must be 1-32 lowercase letters, digits, '_', '.' or '-' (AppotaPay's telco names are matched in lowercase)");
        }
    }

    private static void params(List<Param> params, Map<String, String> problems) {
        if (params.isEmpty() || params.size() > MAX_PARAMS) {
            problems.put("params", "must list 1 to " + MAX_PARAMS + " parameters");
            return;
        }
        long accounts = params.stream().filter(Param::account).count();
        if (accounts != 1) {
            problems.put("params", "exactly one parameter must be the account (\"account\": true), not " + accounts);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            String at = "params[" + i + "].";
            if (!PARAM_NAME.matcher(p.name()).matches()) {
                problems.put(at + "name", "must be 1-64 letters, digits or '_', starting with a letter");
            } else if (!names.add(p.name())) {
                problems.put(at + "name", "'" + p.name() + "' is already the name of another parameter");
            }
            if (p.regex() != null) {
                try {
                    Pattern.compile(p.regex());
                } catch (PatternSyntaxException e) {
                    problems.put(at + "regex", "is not a valid regular expression: " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                }
            }
            if (p.errorMessage() == null && (p.regex() != null || p.type() == Param.Type.List)) {
                problems.put(at + "errorMessage", "is required: it is what a partner is told when a value does not match");
            }
            if (p.type() == Param.Type.List && p.values().isEmpty()) {
                problems.put(at + "values", "must list the values a List parameter takes");
            } else if (p.type() != Param.Type.List && !p.values().isEmpty()) {
                problems.put(at + "values", "only a List parameter takes values");
            }
            if (p.account() && !p.required()) {
                problems.put(at + "required", "the account parameter is always required");
            }
        }
    }
}
