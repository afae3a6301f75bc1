package billswitch.api.v1;

import billswitch.catalog.Category;
import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.catalog.Plan;
import billswitch.connector.spi.Bill;
import billswitch.ledger.Ledger;
import billswitch.payment.Order;
import billswitch.shared.Currency;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The native API's JSON shapes. Amounts are minor units (integers) with the decimal text beside them. */
final class NativeViews {
    private NativeViews() {
    }

    record CategoryView(String id, String name, String group, String country) {
        static CategoryView of(Category c) {
            return new CategoryView(c.id(), c.name(), c.group(), c.country());
        }
    }

    record OperatorSummary(String id, String name, String category, String location, String kind, String country,
                           String currency, String fetchOption, String exactness, long minAmountMinor,
                           long maxAmountMinor, boolean partialPayment, List<String> channels, boolean enabled) {
        static OperatorSummary of(Operator o) {
            return new OperatorSummary(o.id(), o.name(), o.categoryId(), o.locationId(), o.kind().name(), o.country(),
                    o.currency().name(), o.fetchOption().name(), o.exactness().name(), o.minAmountMinor(),
                    o.maxAmountMinor(), o.partialPayment(), o.channels().stream().map(Enum::name).toList(), o.enabled());
        }
    }

    record ParamView(String name, String label, String type, String regex, String errorMessage, boolean required,
                     boolean account, List<String> values) {
        static ParamView of(Param p) {
            return new ParamView(p.name(), p.label(), p.type().name(), p.regex(), p.errorMessage(), p.required(),
                    p.account(), p.values());
        }
    }

    record PlanView(String code, long amountMinor, String amount, String description, String validity) {
        static PlanView of(Plan p, Currency currency) {
            return new PlanView(p.code(), p.amountMinor(), currency.format(p.amountMinor()), p.description(), p.validity());
        }
    }

    record Fee(long flatMinor, int bps) {
    }

    record OperatorDetail(OperatorSummary operator, List<ParamView> params, Fee fee, int commissionBps,
                          Map<String, Object> providerCodes, List<PlanView> plans) {
    }

    record BillView(long amountMinor, String amount, String customerName, String billNumber, String period,
                    LocalDate billDate, LocalDate dueDate, boolean partialPaymentAllowed) {
        static BillView of(Bill b, Currency currency) {
            return b == null ? null : new BillView(b.amountMinor(), currency.format(b.amountMinor()), b.customerName(),
                    b.billNumber(), b.period(), b.billDate(), b.dueDate(), b.partialPaymentAllowed());
        }
    }

    record Failure(String code, String message) {
    }

    record WalletEffect(long openingMinor, long closingMinor) {
    }

    record Refund(long amountMinor, Instant at) {
    }

    record TransactionView(String id, String reference, String kind, String status, String operatorId,
                           String accountNumber, Map<String, String> params, String productCode, long amountMinor, String amount,
                           long feeMinor, long commissionMinor, long ccfMinor, long gstMinor, long tdsMinor,
                           String currency, String channel, String operatorRef,
                           String billFetchId, BillView bill, Failure failure, WalletEffect wallet, Refund refund,
                           Instant createdAt, Instant updatedAt) {
        static TransactionView of(Order o) {
            return new TransactionView(Long.toString(o.id()), o.reference(), o.kind().name(), o.status().name(),
                    o.operatorId(), o.accountNumber(), o.params(), o.productCode(), o.amountMinor(), o.currency().format(o.amountMinor()),
                    o.feeMinor(), o.commissionMinor(), o.ccfMinor(), o.gstMinor(), o.tdsMinor(), o.currency().name(),
                    o.channel().name(), o.operatorRef(),
                    o.billFetchId() == null ? null : Long.toString(o.billFetchId()), BillView.of(o.bill(), o.currency()),
                    o.failureCode() == null ? null : new Failure(o.failureCode(), o.failureMessage()),
                    o.walletOpeningMinor() == null ? null : new WalletEffect(o.walletOpeningMinor(), o.walletClosingMinor()),
                    o.refundedAt() == null ? null : new Refund(o.debitMinor(), o.refundedAt()),
                    o.createdAt(), o.updatedAt());
        }
    }

    /** GET /v1/transactions without a reference: a page, and the cursor of the next one (null: this was the last). */
    record TransactionPage(List<TransactionView> transactions, String nextCursor) {
    }

    /**
     * A wallet: balance (negative: drawn on the credit limit), held, the credit limit, and available = balance - held
     * + creditLimit, what it can still pay; the low-balance threshold (0: no alert).
     */
    record WalletView(String currency, long balanceMinor, long heldMinor, long availableMinor, String available,
                      long creditLimitMinor, String creditLimit, String balance, long lowBalanceThresholdMinor) {
        static WalletView of(Ledger.WalletBalance b) {
            return new WalletView(b.currency().name(), b.balanceMinor(), b.heldMinor(), b.availableMinor(),
                    b.currency().format(b.availableMinor()), b.creditLimitMinor(), b.currency().format(b.creditLimitMinor()),
                    b.currency().format(b.balanceMinor()), b.lowBalanceThresholdMinor());
        }
    }

    /** GET /v1/wallet: a record, so its JSON keys keep this order (a Map.of changed it at every start). */
    record Wallets(String partnerId, List<WalletView> wallets) {
    }

    record StatementEntryView(String id, String type, String direction, long amountMinor, long openingMinor,
                              long closingMinor, String transactionId, String reference, Instant at) {
        static StatementEntryView of(Ledger.StatementEntry e) {
            String type = Ledger.entryType(e.kind(), e.code());
            return new StatementEntryView(Long.toString(e.transferId()), type, e.direction().name(), e.amountMinor(),
                    e.openingMinor(), e.closingMinor(), e.orderId() == null ? null : Long.toString(e.orderId()),
                    e.reference(), e.at());
        }
    }

    record Statement(String currency, List<StatementEntryView> entries, String nextBefore) {
    }

    /**
     * A bill fetch's CCF: the biller's customer convenience fee on the bill's amount for the default payment mode,
     * and by every payment mode (minor units).
     */
    record CcfView(String paymentMode, long ccfMinor, String ccf, Map<billswitch.pricing.PaymentMode, Long> byPaymentMode) {
    }
}
