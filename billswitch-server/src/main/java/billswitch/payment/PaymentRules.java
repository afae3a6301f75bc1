package billswitch.payment;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.catalog.Plan;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Everything checked before money moves, in the order a client would want to hear about it. */
@Component
class PaymentRules {
    private final Catalog catalog;

    PaymentRules(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The operator for a fetch: it must exist, be enabled and fetch bills; the parameters must match. */
    Operator checkFetch(FetchCommand c) {
        Operator operator = enabledOperator(c.operatorId());
        if (operator.isRecharge() || operator.fetchOption() == Operator.FetchOption.NOT_SUPPORTED) {
            throw new BillSwitchException(ErrorCode.OPERATION_NOT_SUPPORTED, operator.name() + " does not support bill fetch.");
        }
        checkParams(operator, c.accountNumber(), c.params());
        return operator;
    }

    /** The operator for a payment, after every rule that does not need the fetched bill. */
    Operator checkPayment(PayCommand c) {
        Operator operator = enabledOperator(c.operatorId());
        if (c.kind() == OrderKind.RECHARGE && !operator.isRecharge()) {
            throw new BillSwitchException(ErrorCode.OPERATION_NOT_SUPPORTED,
                    operator.name() + " is a biller: pay its bills rather than recharging it.");
        }
        if (c.kind() == OrderKind.BILL_PAY && operator.isRecharge()) {
            throw new BillSwitchException(ErrorCode.OPERATION_NOT_SUPPORTED,
                    operator.name() + " takes recharges, not bill payments.");
        }
        if (c.amount().currency() != operator.currency()) {
            throw new BillSwitchException(ErrorCode.CURRENCY_MISMATCH,
                    operator.name() + " is paid in " + operator.currency() + ", not " + c.amount().currency() + ".");
        }
        if (!operator.channels().contains(c.channel())) {
            throw new BillSwitchException(ErrorCode.CHANNEL_NOT_SUPPORTED,
                    operator.name() + " does not offer the " + c.channel() + " channel.");
        }
        checkParams(operator, c.accountNumber(), c.params());
        long amount = c.amount().amountMinor();
        if (amount <= 0 || amount < operator.minAmountMinor() || amount > operator.maxAmountMinor()) {
            throw new BillSwitchException(ErrorCode.AMOUNT_OUT_OF_RANGE, "The amount must be between "
                    + operator.currency().format(operator.minAmountMinor()) + " and "
                    + operator.currency().format(operator.maxAmountMinor()) + " " + operator.currency() + ".");
        }
        if (c.kind() == OrderKind.RECHARGE) {
            checkProduct(operator, c);
        }
        return operator;
    }

    /** Recharges of fixed-denomination operators must match a product; a named product must exist. */
    private void checkProduct(Operator operator, PayCommand c) {
        long amount = c.amount().amountMinor();
        if (c.productCode() != null) {
            Plan plan = catalog.plan(operator.id(), c.productCode()).orElseThrow(() -> new BillSwitchException(
                    ErrorCode.UNKNOWN_PRODUCT, "No product '" + c.productCode() + "' for " + operator.name() + "."));
            if (plan.amountMinor() != amount) {
                throw new BillSwitchException(ErrorCode.AMOUNT_NOT_ALLOWED, "Product " + plan.code() + " costs "
                        + operator.currency().format(plan.amountMinor()) + " " + operator.currency() + ".");
            }
        } else if (operator.exactness() == Operator.Exactness.EXACT) {
            List<Plan> plans = catalog.plans(operator.id());
            if (plans.stream().noneMatch(p -> p.amountMinor() == amount)) {
                throw new BillSwitchException(ErrorCode.AMOUNT_NOT_ALLOWED, operator.name()
                        + " only takes its product amounts: " + String.join(", ",
                        plans.stream().map(p -> operator.currency().format(p.amountMinor())).toList()) + ".");
            }
        }
    }

    /** The amount against the fetched bill, by the biller's exactness rule and partial-payment flag. */
    void checkAgainstBill(Operator operator, long amountMinor, long billMinor) {
        boolean ok = switch (operator.exactness()) {
            case EXACT -> amountMinor == billMinor;
            case EXACT_AND_ABOVE -> amountMinor >= billMinor;
            case EXACT_AND_BELOW -> amountMinor <= billMinor && (amountMinor == billMinor || operator.partialPayment());
            case ADHOC -> true;
        };
        if (!ok) {
            String bill = operator.currency().format(billMinor) + " " + operator.currency();
            String rule = switch (operator.exactness()) {
                case EXACT -> "exactly the bill amount, " + bill;
                case EXACT_AND_ABOVE -> "at least the bill amount, " + bill;
                case EXACT_AND_BELOW -> operator.partialPayment() ? "at most the bill amount, " + bill
                        : "exactly the bill amount, " + bill;
                case ADHOC -> "any amount";
            };
            throw new BillSwitchException(ErrorCode.AMOUNT_NOT_ALLOWED, operator.name() + " accepts " + rule + ".");
        }
    }

    /** The operator of an existing order, enabled or not: a settled catalog change must not strand it. */
    Operator operator(String operatorId) {
        return catalog.require(operatorId);
    }

    private Operator enabledOperator(String operatorId) {
        Operator operator = catalog.require(operatorId);
        if (!operator.enabled()) {
            throw new BillSwitchException(ErrorCode.OPERATOR_DISABLED, operator.name() + " is disabled.");
        }
        return operator;
    }

    private static void checkParams(Operator operator, String accountNumber, Map<String, String> params) {
        Map<String, String> problems = operator.paramProblems(accountNumber, params);
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_PARAMETER,
                    "Customer parameters do not match " + operator.name() + "'s rules.", problems);
        }
    }
}
