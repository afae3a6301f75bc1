package billswitch.catalog;

import billswitch.shared.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator or biller, with everything needed to validate a payment before money moves and the
 * codes each provider dialect knows it by. connector names the connector a sandbox operator is routed to
 * when no routes are configured; it is null for an operator without one (those created through the admin API).
 */
public record Operator(
        String id, String name, String categoryId, String locationId, Kind kind, String country, Currency currency,
        FetchOption fetchOption, Exactness exactness, long minAmountMinor, long maxAmountMinor, boolean partialPayment,
        List<Channel> channels, long feeFlatMinor, int feeBps, int commissionBps, boolean kycRequired,
        String connector, boolean enabled, ProviderCodes codes, List<Param> params) {

    public enum Kind { PREPAID, DTH, POSTPAID, UTILITY }

    public enum FetchOption { MANDATORY, OPTIONAL, NOT_SUPPORTED }

    public enum Exactness { EXACT, EXACT_AND_ABOVE, EXACT_AND_BELOW, ADHOC }

    public enum Channel { INSTANT, HIGH_COMMISSION }

    /** How each provider's API names this operator. Null where that provider does not list it. */
    public record ProviderCodes(String aopayOperator, Integer aopayProductId, Integer ekoOperatorId,
                                String appotaServiceCode, String appotaTelco) {
    }

    public Operator {
        channels = List.copyOf(channels);
        params = List.copyOf(params);
    }

    /** This operator, enabled or disabled. */
    public Operator withEnabled(boolean on) {
        return on == enabled ? this : new Operator(id, name, categoryId, locationId, kind, country, currency, fetchOption,
                exactness, minAmountMinor, maxAmountMinor, partialPayment, channels, feeFlatMinor, feeBps, commissionBps,
                kycRequired, connector, on, codes, params);
    }

    /** Recharges are for prepaid mobile and DTH; bills for postpaid and utilities. */
    public boolean isRecharge() {
        return kind == Kind.PREPAID || kind == Kind.DTH;
    }

    public Param accountParam() {
        return params.stream().filter(Param::account).findFirst()
                .orElseThrow(() -> new IllegalStateException("operator " + id + " has no account parameter"));
    }

    /** Field name to problem for the account number and the extra parameters; empty when all is well. */
    public Map<String, String> paramProblems(String accountNumber, Map<String, String> extra) {
        Map<String, String> problems = new LinkedHashMap<>();
        Param account = accountParam();
        String accountProblem = account.problemWith(accountNumber);
        if (accountProblem != null) {
            problems.put(account.name(), accountProblem);
        }
        for (Param p : params) {
            if (!p.account()) {
                String problem = p.problemWith(extra.get(p.name()));
                if (problem != null) {
                    problems.put(p.name(), problem);
                }
            }
        }
        for (String name : extra.keySet()) {
            if (params.stream().noneMatch(p -> !p.account() && p.name().equals(name))) {
                problems.put(name, "is not a parameter of " + name());
            }
        }
        return problems;
    }

    /** Customer convenience fee charged to the partner on top of the amount. */
    public long feeMinor(long amountMinor) {
        return feeFlatMinor + Math.multiplyExact(amountMinor, (long) feeBps) / 10_000;
    }

    /** Commission paid to the partner on a successful payment. */
    public long commissionMinor(long amountMinor) {
        return Math.multiplyExact(amountMinor, (long) commissionBps) / 10_000;
    }
}
