package billswitch.api.dialect.aopay;

import billswitch.api.Responses;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.dialect.Fields;
import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.catalog.Plan;
import billswitch.connector.spi.Bill;
import billswitch.ledger.Ledger;
import billswitch.partner.PartnerService;
import billswitch.payment.Answer;
import billswitch.payment.FetchCommand;
import billswitch.payment.Order;
import billswitch.payment.OrderKind;
import billswitch.payment.OrderStatus;
import billswitch.payment.PayCommand;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * AOPay's API (/api/AOP/...), wire-compatible: same paths, field names (typos included), envelopes and
 * codes. Translates to the core's commands and back; no business rule lives here.
 */
@RestController
@RequestMapping(path = "/api/AOP", produces = MediaType.APPLICATION_JSON_VALUE)
class AopayController {
    static final String DIALECT = "AOPAY";
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter BILL_DATE = DateTimeFormatter.ofPattern("ddMMMyyyy", Locale.ENGLISH);
    private static final Pattern REFERENCE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private final AopayAuth auth;
    private final PaymentService payments;
    private final Catalog catalog;
    private final Ledger ledger;
    private final PartnerService partners;
    private final JsonMapper json = JsonMapper.builder().build();

    AopayController(AopayAuth auth, PaymentService payments, Catalog catalog, Ledger ledger, PartnerService partners) {
        this.auth = auth;
        this.payments = payments;
        this.catalog = catalog;
        this.ledger = ledger;
        this.partners = partners;
    }

    private record Call(PartnerService.Credential caller, Fields fields) {
        String partnerId() {
            return caller.partner().id();
        }
    }

    private Call authenticate(HttpServletRequest request, byte[] body) {
        Fields fields = Fields.json(body);
        return new Call(auth.authenticate(request, body, fields.get("RegistrationID", "RegisterID")), fields);
    }

    // ---- bills -------------------------------------------------------------------------------------

    @PostMapping("/FetchBilPaymentDetails")
    ResponseEntity<String> fetchBill(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Operator operator = billOperator(call.fields().get("operator"));
        String account = call.fields().required("canumber");
        Answer answer = payments.fetchBill(new FetchCommand(call.partnerId(), DIALECT, null, operator.id(), account,
                extraParams(operator, call.fields())), order -> fetchAnswer(order, operator));
        return Responses.json(answer);
    }

    private Answer fetchAnswer(Order order, Operator operator) {
        Bill bill = order.bill();
        Map<String, Object> fetched = new LinkedHashMap<>();
        fetched.put("billAmount", oneDecimal(bill.amountMinor()));
        fetched.put("billnetamount", oneDecimal(bill.amountMinor()));
        // An upstream need not state the dates (another aggregator's bill): then they are empty, not invented.
        fetched.put("billdate", bill.billDate() == null ? "" : bill.billDate().format(BILL_DATE));
        fetched.put("dueDate", bill.dueDate() == null ? "" : bill.dueDate().toString());
        fetched.put("acceptPayment", true);
        fetched.put("acceptPartPay", bill.partialPaymentAllowed());
        fetched.put("cellNumber", order.accountNumber());
        fetched.put("userName", bill.customerName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", true);
        body.put("response_code", AopayCodes.SUCCESS);
        body.put("amount", Currency.INR.format(bill.amountMinor()));
        body.put("name", bill.customerName());
        body.put("duedate", bill.dueDate() == null ? "" : bill.dueDate().toString());
        body.put("bill_fetch", fetched);
        body.put("message", "Bill fetched successfully for " + operator.name() + ".");
        return answer(body);
    }

    @PostMapping("/BillPaymentPaybill")
    CompletableFuture<ResponseEntity<String>> payBill(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Operator operator = billOperator(call.fields().get("operator"));
        String account = call.fields().required("canumber");
        Money amount = amount(call.fields().get("amount"));
        String reference = reference(call.fields().get("referenceid"), true);
        Operator.Channel channel = "offline".equalsIgnoreCase(call.fields().get("mode"))
                ? Operator.Channel.HIGH_COMMISSION : Operator.Channel.INSTANT;
        PayCommand command = new PayCommand(call.partnerId(), DIALECT, reference, OrderKind.BILL_PAY, operator.id(),
                account, extraParams(operator, call.fields()), amount, channel, null, null);
        return payments.pay(command, order -> answer(paymentBody(order, operator, "Bill Payment"))).thenApply(Responses::json);
    }

    @PostMapping("/BillPaymentStatus")
    ResponseEntity<String> billStatus(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Order order = payments.orderByReference(call.partnerId(), reference(call.fields().get("referenceid"), true));
        Operator operator = catalog.require(order.operatorId());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("txnid", Long.toString(order.id()));
        data.put("operatorname", operator.name());
        data.put("canumber", order.accountNumber());
        data.put("amount", Currency.INR.format(order.amountMinor()));
        boolean paid = order.status() == OrderStatus.SUCCESS;
        data.put("comm", Currency.INR.format(paid ? order.commissionMinor() : 0));
        data.put("tds", Currency.INR.format(paid ? order.tdsMinor() : 0));
        data.put("status", AopayCodes.word(order.status()));
        data.put("refid", order.reference());
        data.put("operatorid", order.operatorRef() == null ? "" : order.operatorRef());
        data.put("dateadded", DATE_TIME.format(order.createdAt().atZone(INDIA)));
        data.put("refunded", order.refundedAt() == null ? "0" : "1");
        data.put("refundtxnid", order.refundedAt() == null ? "" : "R" + order.id());
        data.put("daterefunded", order.refundedAt() == null ? "" : DATE_TIME.format(order.refundedAt().atZone(INDIA)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("response_code", AopayCodes.of(order.status()));
        out.put("status", true);
        out.put("data", data);
        out.put("message", "Transaction " + AopayCodes.word(order.status()).toLowerCase(Locale.ROOT));
        return Responses.json(answer(out));
    }

    // ---- recharges ----------------------------------------------------------------------------------

    @PostMapping("/V2/MobileRecharge")
    CompletableFuture<ResponseEntity<String>> recharge(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Operator operator = rechargeOperator(call.fields().get("ProductID"));
        String number = call.fields().required("CustomerNumber");
        Money amount = amount(call.fields().get("Amount"));
        // AOPay's V2 recharge names no reference: without one, the body itself is the payment's identity (a
        // retry of the same bytes is answered from the idempotency store, never paid again).
        String given = call.fields().get("ReferenceID", "ReferanceID", "referenceid");
        String reference = given != null ? reference(given, true) : AopayAuth.bodyReference(call.caller(), body);
        PayCommand command = new PayCommand(call.partnerId(), DIALECT, reference, OrderKind.RECHARGE, operator.id(),
                number, Map.of(), amount, Operator.Channel.INSTANT, null, null);
        return payments.pay(command, order -> answer(v2Body(order, operator))).thenApply(Responses::json);
    }

    @PostMapping("/V2/RechargeStatus")
    ResponseEntity<String> rechargeStatus(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Order order = payments.orderByReference(call.partnerId(),
                reference(call.fields().get("ReferanceId", "ReferenceId"), true));
        return Responses.json(answer(v2Body(order, catalog.require(order.operatorId()))));
    }

    /** Seed 001's recharge envelope, typos included. */
    private Map<String, Object> v2Body(Order order, Operator operator) {
        OrderStatus status = order.status();
        boolean failed = status == OrderStatus.FAILED || status == OrderStatus.REFUNDED;
        String word = AopayCodes.word(status);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", "Your payment for " + operator.name() + " of Rs " + major(order.amountMinor()) + " "
                + switch (status) {
                    case SUCCESS -> "is successful";
                    case FAILED -> "failed | " + (order.failureMessage() == null ? "Transaction failed" : order.failureMessage());
                    case REFUNDED -> "failed and was refunded";
                    default -> "is pending";
                });
        data.put("txnId", order.operatorRef() == null ? "" : order.operatorRef());
        data.put("status", word);
        data.put("ackno", Long.toString(order.id()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !failed);
        body.put("msg", failed ? "error" : status == OrderStatus.SUCCESS ? "success" : "pending");
        body.put("error", failed ? "Transaction failed" : null);
        body.put("statusCode", failed ? 401 : 200);
        body.put("ReferanceID", order.reference());
        body.put("data", data);
        body.put("Status", failed ? "FALSE" : status == OrderStatus.SUCCESS ? "TRUE" : "PENDING");
        body.put("message", "");
        body.put("Value", "");
        return body;
    }

    @PostMapping("/DoRecharge")
    CompletableFuture<ResponseEntity<String>> legacyRecharge(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Operator operator = rechargeOperator(call.fields().get("operator"));
        String number = call.fields().required("canumber");
        Money amount = amount(call.fields().get("amount"));
        String reference = reference(call.fields().get("referenceid"), true);
        PayCommand command = new PayCommand(call.partnerId(), DIALECT, reference, OrderKind.RECHARGE, operator.id(),
                number, Map.of(), amount, Operator.Channel.INSTANT, null, null);
        return payments.pay(command, order -> answer(paymentBody(order, operator, "Recharge"))).thenApply(Responses::json);
    }

    @PostMapping("/RechargesStatus")
    ResponseEntity<String> legacyStatus(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Order order = payments.orderByReference(call.partnerId(), reference(call.fields().get("referenceid"), true));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", order.status() != OrderStatus.FAILED && order.status() != OrderStatus.REFUNDED);
        out.put("response_code", AopayCodes.of(order.status()));
        out.put("operatorid", order.operatorRef() == null ? "" : order.operatorRef());
        out.put("ackno", order.id());
        out.put("refunded", order.refundedAt() == null ? "0" : "1");
        out.put("message", AopayCodes.word(order.status()));
        return Responses.json(answer(out));
    }

    // ---- plans and balance --------------------------------------------------------------------------

    @PostMapping("/BrowsPlan")
    ResponseEntity<String> plans(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Operator operator = rechargeOperator(call.fields().get("op"));
        String circle = call.fields().get("circle");
        List<Map<String, Object>> plans = catalog.plans(operator.id()).stream()
                .filter(p -> circle == null || servesCircle(p, circle))
                .map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", p.code());
                    m.put("rs", major(p.amountMinor()));
                    m.put("desc", p.description());
                    m.put("validity", p.validity() == null ? "" : p.validity());
                    return m;
                }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", true);
        out.put("response_code", AopayCodes.SUCCESS);
        out.put("operator", operator.name());
        out.put("circle", circle == null ? "" : circle);
        out.put("data", plans);
        out.put("message", plans.size() + " plans");
        return Responses.json(answer(out));
    }

    private boolean servesCircle(Plan plan, String circle) {
        if (plan.locationId() == null || plan.locationId().equals("IN-ALL")) {
            return true;
        }
        return catalog.locations().stream().anyMatch(l -> l.id().equals(plan.locationId())
                && (l.abbreviation().equalsIgnoreCase(circle) || l.name().equalsIgnoreCase(circle)));
    }

    @PostMapping("/Balance")
    ResponseEntity<String> balance(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        Call call = authenticate(request, body);
        Ledger.WalletBalance b = ledger.balance(partners.walletId(call.partnerId(), Currency.INR));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", true);
        out.put("response_code", AopayCodes.SUCCESS);
        out.put("balance", Currency.INR.format(b.fundsMinor()));
        out.put("credit_limit", Currency.INR.format(b.creditLimitMinor()));
        out.put("message", "Balance fetched");
        return Responses.json(answer(out));
    }

    // ---- translation helpers ------------------------------------------------------------------------

    /** Seed 000's payment answer; opening and closing come from the payment's own ledger entry. */
    private Map<String, Object> paymentBody(Order order, Operator operator, String what) {
        OrderStatus status = order.status();
        boolean failed = status == OrderStatus.FAILED || status == OrderStatus.REFUNDED;
        long opening = order.walletOpeningMinor();
        long closing = failed ? opening : order.walletClosingMinor();
        String outcome = switch (status) {
            case SUCCESS -> "is successful.";
            case FAILED -> "failed: " + order.failureMessage() + ". The amount is refunded.";
            case REFUNDED -> "failed and was refunded.";
            default -> "is pending.";
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !failed);
        body.put("response_code", AopayCodes.of(status));
        body.put("operatorid", order.operatorRef() == null ? "" : order.operatorRef());
        body.put("ackno", order.id());
        body.put("opening", Currency.INR.format(opening));
        body.put("closing", Currency.INR.format(closing));
        body.put("message", "You " + what + " for " + operator.name() + " of Amount " + major(order.amountMinor()) + " " + outcome);
        return body;
    }

    private Operator billOperator(String code) {
        if (code == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "operator is required.", Map.of("operator", "is required"));
        }
        return catalog.findBy(Operator.ProviderCodes::aopayOperator, code)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "Invalid operator " + code));
    }

    /** Recharges name the operator by ProductID (518 = Airtel). */
    private Operator rechargeOperator(String productId) {
        if (productId == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "ProductID is required.", Map.of("ProductID", "is required"));
        }
        Optional<Operator> byProduct = productId.matches("^[0-9]{1,9}$")
                ? catalog.findBy(Operator.ProviderCodes::aopayProductId, Integer.valueOf(productId))
                : Optional.empty();
        return byProduct.or(() -> catalog.find(productId).filter(Operator::isRecharge))
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "Invalid ProductID " + productId));
    }

    /** Operator parameters beyond the account number (postalcode for MSEB, dob for LIC), by their names. */
    private static Map<String, String> extraParams(Operator operator, Fields fields) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Param p : operator.params()) {
            String value = p.account() ? null : fields.get(p.name());
            if (value != null) {
                params.put(p.name(), value);
            }
        }
        return params;
    }


    private static Money amount(String text) {
        Money amount = Money.parseMajor(text, Currency.INR);
        if (amount == null || !amount.isPositive()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "amount must be a positive amount in rupees with at most 2 decimals.", Map.of("amount", "invalid"));
        }
        return amount;
    }

    private static String reference(String value, boolean required) {
        if (value == null && required) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "referenceid is required.", Map.of("referenceid", "is required"));
        }
        if (value != null && !REFERENCE.matcher(value).matches()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "referenceid must be 1-64 letters, digits, '.', '_', ':' or '-'.", Map.of("referenceid", "invalid"));
        }
        return value;
    }

    /** Rupees as AOPay's messages write them: "100", "100.5". */
    private static String major(long paise) {
        return BigDecimal.valueOf(paise, 2).stripTrailingZeros().toPlainString();
    }

    /** bill_fetch amounts as AOPay writes them: "820.0". */
    private static String oneDecimal(long paise) {
        BigDecimal value = BigDecimal.valueOf(paise, 2).stripTrailingZeros();
        return value.scale() < 1 ? value.setScale(1).toPlainString() : value.toPlainString();
    }

    private Answer answer(Map<String, Object> body) {
        return new Answer(200, json.writeValueAsString(body));
    }

}
