package billswitch.api.dialect.eko;

import billswitch.api.Responses;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.dialect.Fields;
import billswitch.catalog.Catalog;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Param;
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
import billswitch.pricing.PaymentMode;
import billswitch.pricing.Pricing;
import billswitch.pricing.PricingJson;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eko's BBPS API, classic v2 (/ekoapi/v2/..., /ekoapi/v1/transactions/...) and v3 (/ekoapi/v3/...):
 * same paths, fields, envelope and codes. Bodies may be JSON or urlencoded. Translation only.
 */
@RestController
@RequestMapping(path = "/ekoapi", produces = MediaType.APPLICATION_JSON_VALUE)
class EkoController {
    static final String DIALECT = "EKO";
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
    /** Eko: "more than 5 characters and less than 20 characters". */
    private static final Pattern CLIENT_REF = Pattern.compile("^[A-Za-z0-9._:-]{6,19}$");
    private static final Pattern MOBILE = Pattern.compile("^[6-9][0-9]{9}$");
    /** Rupees in the one form request_hash may sign: no leading zeros, no sign, at most 2 decimals. */
    private static final Pattern CANONICAL_AMOUNT = Pattern.compile("^(0|[1-9][0-9]{0,9})(\\.[0-9]{1,2})?$");
    private static final Pattern LATLONG = Pattern.compile("^-?[0-9]{1,3}(\\.[0-9]+)?,\\s*-?[0-9]{1,3}(\\.[0-9]+)?$");
    private static final Set<String> PAYMENT_FIELDS = Set.of("initiator_id", "user_code", "client_ref_id", "utility_acc_no",
            "confirmation_mobile_no", "sender_name", "operator_id", "phone_operator_code", "source_ip", "latlong",
            "amount", "hc_channel", "billfetchresponse", "payment_mode");

    private final EkoAuth auth;
    private final PaymentService payments;
    private final Catalog catalog;
    private final Ledger ledger;
    private final PartnerService partners;
    private final JsonMapper json = JsonMapper.builder().build();

    private final Pricing pricing;

    EkoController(EkoAuth auth, PaymentService payments, Catalog catalog, Ledger ledger, PartnerService partners,
                  Pricing pricing) {
        this.auth = auth;
        this.pricing = pricing;
        this.payments = payments;
        this.catalog = catalog;
        this.ledger = ledger;
        this.partners = partners;
    }

    // ---- catalog -------------------------------------------------------------------------------------

    @GetMapping({"/v2/billpayments/operators_category", "/v3/customer/payment/bbps/categories"})
    ResponseEntity<String> categories(HttpServletRequest request) {
        auth.authenticate(request);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Category c : catalog.categories()) {
            if (c.country().equals("IN")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("operator_category_name", c.name());
                m.put("operator_category_id", c.providerId());
                m.put("operator_category_group", c.group());
                m.put("status", 1);
                data.add(m);
            }
        }
        return ok(envelope(0, -1, EkoCodes.LIST, "Success", data));
    }

    @GetMapping({"/v2/billpayments/operators_location", "/v3/customer/payment/bbps/locations"})
    ResponseEntity<String> locations(HttpServletRequest request) {
        auth.authenticate(request);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Location l : catalog.locations()) {
            if (l.country().equals("IN")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("operator_location_name", l.name());
                m.put("operator_location_id", l.providerId());
                m.put("abbreviation", l.abbreviation());
                data.add(m);
            }
        }
        return ok(envelope(0, -1, EkoCodes.LIST, "Success", data));
    }

    @GetMapping({"/v2/billpayments/operators", "/v3/customer/payment/bbps/operators"})
    ResponseEntity<String> operators(HttpServletRequest request) {
        auth.authenticate(request);
        Integer category = number(request.getParameter("category"), "category");
        Integer location = number(request.getParameter("location"), "location");
        List<Map<String, Object>> data = new ArrayList<>();
        for (Operator o : ekoOperators()) {
            if (category != null && categoryId(o) != category || location != null && locationId(o) != location) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operator_id", o.codes().ekoOperatorId());
            m.put("name", o.name());
            m.put("billFetchResponse", o.fetchOption() == Operator.FetchOption.NOT_SUPPORTED ? 0 : 1);
            m.put("high_commission_channel", o.channels().contains(Operator.Channel.HIGH_COMMISSION) ? 1 : 0);
            m.put("kyc_required", o.kycRequired() ? 1 : 0);
            m.put("operator_category", categoryId(o));
            m.put("location_id", locationId(o));
            data.add(m);
        }
        return ok(envelope(0, -1, EkoCodes.LIST, "Success", data));
    }

    @GetMapping("/v2/billpayments/operators/{id}")
    ResponseEntity<String> operatorParamsV2(@PathVariable String id, HttpServletRequest request) {
        auth.authenticate(request);
        return ok(operatorParams(ekoOperator(id), false));
    }

    @GetMapping("/v3/customer/payment/bbps/operator/{id}/parameters")
    ResponseEntity<String> operatorParamsV3(@PathVariable String id, HttpServletRequest request) {
        auth.authenticate(request);
        return ok(operatorParams(ekoOperator(id), true));
    }

    private Map<String, Object> operatorParams(Operator o, boolean v3) {
        List<Map<String, Object>> data = new ArrayList<>();
        int index = 0;
        for (Param p : o.params()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("param_name", p.name());
            m.put("param_label", p.label());
            m.put("param_id", ++index);
            m.put("param_type", p.type().name());
            m.put("regex", p.regex());
            m.put("error_message", p.errorMessage());
            if (p.type() == Param.Type.List) {
                m.put(v3 ? "param_attributes" : "list_elements", v3 ? Map.of("list_elements", p.values()) : p.values());
            }
            data.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 0);
        body.put("response_status_id", -1);
        body.put("response_type_id", EkoCodes.LIST);
        body.put("message", "Success");
        body.put("operator_name", o.name());
        body.put("operator_id", o.codes().ekoOperatorId());
        body.put("fetchBill", o.fetchOption() == Operator.FetchOption.NOT_SUPPORTED ? 0 : 1);
        body.put("BBPS", 1);
        body.put("data", data);
        return body;
    }

    // ---- fetch and pay -------------------------------------------------------------------------------

    @PostMapping("/v2/billpayments/fetchbill")
    ResponseEntity<String> fetchV2(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        return fetch(caller, Fields.of(request, body), request.getParameter("initiator_id"));
    }

    @GetMapping("/v3/customer/payment/bbps/bill")
    ResponseEntity<String> fetchV3(HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        Fields fields = Fields.form(request.getQueryString());
        return fetch(caller, fields, fields.get("initiator_id"));
    }

    private ResponseEntity<String> fetch(PartnerService.Credential caller, Fields in, String initiatorId) {
        auth.checkInitiator(caller, initiatorId);
        auth.checkUserCode(caller, in.get("user_code"));
        Map<String, String> invalid = new LinkedHashMap<>();
        String reference = clientRef(in, invalid);
        Operator operator = operator(in, invalid);
        String account = in.get("utility_acc_no");
        if (account == null) {
            invalid.put("utility_acc_no", "is required");
        }
        commonChecks(in, invalid);
        rejectIfInvalid(invalid);
        Answer answer = payments.fetchBill(new FetchCommand(caller.partner().id(), DIALECT, reference, operator.id(), account,
                params(operator, in)), order -> fetchAnswer(order));
        return Responses.json(answer);
    }

    private Answer fetchAnswer(Order order) {
        Bill bill = order.bill();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", Currency.INR.format(bill.amountMinor()));
        data.put("utilitycustomername", bill.customerName());
        // An upstream need not state the dates (another aggregator's bill): then they are empty, not invented.
        data.put("billdate", bill.billDate() == null ? "" : bill.billDate().toString());
        data.put("duedate", bill.dueDate() == null ? "" : bill.dueDate().toString());
        data.put("customer_id", order.accountNumber());
        data.put("billnumber", bill.billNumber());
        data.put("billperiod", bill.period());
        data.put("partial_payment", bill.partialPaymentAllowed() ? 1 : 0);
        data.put("billfetchresponse", Long.toString(order.id()));
        data.put("client_ref_id", order.reference());
        // The biller's customer convenience fee on the bill's amount paid in cash (payment_mode may change it).
        data.put("ccf", Currency.INR.format(catalog.find(order.operatorId())
                .map(o -> pricing.ccfMinor(o, bill.amountMinor(), PaymentMode.CASH)).orElse(0L)));
        return answer(envelope(0, -1, EkoCodes.FETCH_OK, "Bill fetched successfully", data));
    }

    @PostMapping("/v2/billpayments/paybill")
    CompletableFuture<ResponseEntity<String>> payV2(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        return pay(caller, Fields.of(request, body), request.getParameter("initiator_id"), request);
    }

    @PostMapping("/v3/customer/payment/bbps")
    CompletableFuture<ResponseEntity<String>> payV3(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        Fields in = Fields.of(request, body);
        String initiator = in.get("initiator_id") != null ? in.get("initiator_id") : request.getParameter("initiator_id");
        return pay(caller, in, initiator, request);
    }

    private CompletableFuture<ResponseEntity<String>> pay(PartnerService.Credential caller, Fields in, String initiatorId,
                                                          HttpServletRequest request) {
        auth.checkInitiator(caller, initiatorId);
        String userCode = in.get("user_code");
        auth.checkUserCode(caller, userCode);
        Map<String, String> invalid = new LinkedHashMap<>();
        String reference = clientRef(in, invalid);
        Operator operator = operator(in, invalid);
        // request_hash signs utility_acc_no + amount with no separator between them, so the account is held to
        // the operator's rules and the amount to its one written form before the hash is checked: a pair shifted
        // across that boundary (1516275910/50 sent as 151627591/050) is refused, however it was signed.
        String account = in.get("utility_acc_no");
        String accountProblem = account == null ? "is required" : operator.accountParam().problemWith(account);
        if (accountProblem != null) {
            invalid.put("utility_acc_no", accountProblem);
        }
        String amountText = in.get("amount");
        Money amount = amountText == null || !CANONICAL_AMOUNT.matcher(amountText).matches() ? null
                : Money.parseMajor(amountText, Currency.INR);
        if (amount == null || !amount.isPositive()) {
            invalid.put("amount", "must be a positive amount in rupees as written 50, 50.5 or 50.50: no leading zeros, at most 2 decimals");
        }
        commonChecks(in, invalid);
        String hc = in.get("hc_channel");
        if (hc != null && !hc.equals("0") && !hc.equals("1")) {
            invalid.put("hc_channel", "must be 0 or 1");
        }
        String modeName = in.get("payment_mode");
        PaymentMode mode = modeName == null || modeName.isBlank() ? PaymentMode.CASH : PricingJson.mode(modeName);
        if (mode == null) {
            invalid.put("payment_mode", "must be one of " + java.util.Arrays.toString(PaymentMode.values()));
        }
        Long fetchId = null;
        String fetchResponse = in.get("billfetchresponse");
        if (fetchResponse != null && fetchResponse.matches("^[0-9]{1,18}$")) {
            fetchId = Long.valueOf(fetchResponse);
        }
        rejectIfInvalid(invalid);
        auth.checkRequestHash(caller, request, account, amountText, userCode);
        PayCommand command = new PayCommand(caller.partner().id(), DIALECT, reference,
                operator.isRecharge() ? OrderKind.RECHARGE : OrderKind.BILL_PAY, operator.id(), account,
                params(operator, in), amount, "1".equals(hc) ? Operator.Channel.HIGH_COMMISSION : Operator.Channel.INSTANT,
                fetchId, null, mode);
        return payments.pay(command, order -> answer(transaction(order, EkoCodes.PAYMENT))).thenApply(Responses::json);
    }

    // ---- inquiry and balance -------------------------------------------------------------------------

    @GetMapping("/v1/transactions/{id}")
    ResponseEntity<String> inquiryV1(@PathVariable String id, HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        auth.checkInitiator(caller, request.getParameter("initiator_id"));
        String partner = caller.partner().id();
        Order order = id.startsWith("client_ref_id:")
                ? payments.orderByReference(partner, id.substring("client_ref_id:".length()))
                : byTid(partner, id);
        return ok(transaction(order, EkoCodes.INQUIRY));
    }

    @GetMapping("/v3/tools/reference/transaction/{id}")
    ResponseEntity<String> inquiryV3(@PathVariable String id, HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        auth.checkInitiator(caller, request.getParameter("initiator_id"));
        String partner = caller.partner().id();
        Optional<Order> byTid;
        try {
            byTid = Optional.of(byTid(partner, id));
        } catch (BillSwitchException e) {
            byTid = Optional.empty();
        }
        Order order = byTid.orElseGet(() -> payments.orderByReference(partner, id));
        return ok(transaction(order, EkoCodes.INQUIRY));
    }

    @GetMapping("/v3/user/account/balance")
    ResponseEntity<String> balance(HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        auth.checkInitiator(caller, request.getParameter("initiator_id"));
        Ledger.WalletBalance b = ledger.balance(partners.walletId(caller.partner().id(), Currency.INR));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("balance", Currency.INR.format(b.fundsMinor()));
        data.put("credit_limit", Currency.INR.format(b.creditLimitMinor()));
        data.put("currency", "INR");
        return ok(envelope(0, -1, EkoCodes.LIST, "Success", data));
    }

    /**
     * The partner's payment by TID. A bill fetch is not a transaction to Eko (no tx_status, no wallet effect), so its
     * id is "TID does not exist", as its client_ref_id already is (orderByReference skips fetches).
     */
    private Order byTid(String partnerId, String tid) {
        if (tid.matches("^[0-9]{1,18}$")) {
            try {
                Order order = payments.order(partnerId, Long.parseLong(tid));
                if (order.kind() != OrderKind.BILL_FETCH) {
                    return order;
                }
            } catch (BillSwitchException e) {
                // not this partner's order: answered below
            }
        }
        throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND, "TID does not exist");
    }

    // ---- translation helpers -------------------------------------------------------------------------

    /** A payment's envelope: response_status_id and data.tx_status from the order's state. */
    private Map<String, Object> transaction(Order order, int responseTypeId) {
        Operator operator = catalog.require(order.operatorId());
        OrderStatus status = order.status();
        long opening = order.walletOpeningMinor() == null ? 0 : order.walletOpeningMinor();
        long balance = switch (status) {
            case SUCCESS -> order.walletClosingMinor() + order.price().netCommissionMinor();
            case FAILED, REFUNDED -> opening;
            default -> order.walletClosingMinor() == null ? 0 : order.walletClosingMinor();
        };
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tx_status", EkoCodes.txStatus(status));
        data.put("txstatus_desc", EkoCodes.txStatusDescription(status));
        data.put("tid", Long.toString(order.id()));
        data.put("client_ref_id", order.reference());
        data.put("amount", Currency.INR.format(order.amountMinor()));
        data.put("totalamount", Currency.INR.format(order.debitMinor()));
        // fee: everything charged on top of the amount (biller's convenience fee, our fee and its GST): totalamount - amount
        data.put("fee", Currency.INR.format(order.debitMinor() - order.amountMinor()));
        data.put("commission", Currency.INR.format(status == OrderStatus.SUCCESS ? order.commissionMinor() : 0));
        data.put("tds", Currency.INR.format(status == OrderStatus.SUCCESS ? order.tdsMinor() : 0));
        data.put("balance", Currency.INR.format(balance));
        data.put("operator_name", operator.name());
        data.put("operator_id", operator.codes().ekoOperatorId());
        data.put("account", order.accountNumber());
        data.put("bbpstrxnrefid", order.operatorRef() == null ? "" : order.operatorRef());
        data.put("hc_channel", order.channel() == Operator.Channel.HIGH_COMMISSION ? 1 : 0);
        data.put("timestamp", TIMESTAMP.format(order.updatedAt().atZone(INDIA)));
        if (order.refundedAt() != null) {
            data.put("refund_amount", Currency.INR.format(order.debitMinor()));
            data.put("refund_timestamp", TIMESTAMP.format(order.refundedAt().atZone(INDIA)));
        }
        String message = switch (status) {
            case SUCCESS -> "Transaction successful";
            case FAILED -> "Transaction failed: " + order.failureMessage();
            case REFUNDED -> "Transaction refunded";
            case PENDING -> "Transaction initiated";
            default -> "Transaction response awaited";
        };
        return envelope(0, EkoCodes.txStatus(status), responseTypeId, message, data);
    }

    private static Map<String, Object> envelope(int status, int responseStatusId, int responseTypeId, String message, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("response_status_id", responseStatusId);
        body.put("response_type_id", responseTypeId);
        body.put("message", message);
        body.put("data", data);
        return body;
    }

    private List<Operator> ekoOperators() {
        return catalog.operators().stream().filter(o -> o.codes().ekoOperatorId() != null).toList();
    }

    private Operator ekoOperator(String id) {
        Integer n = id.matches("^[0-9]{1,9}$") ? Integer.valueOf(id) : null;
        return catalog.findBy(Operator.ProviderCodes::ekoOperatorId, n)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "Operator " + id + " not found"));
    }

    private Operator operator(Fields in, Map<String, String> invalid) {
        String id = in.get("operator_id", "phone_operator_code");
        if (id == null) {
            invalid.put("operator_id", "is required");
            rejectIfInvalid(invalid);
        }
        return ekoOperator(id);
    }

    private int categoryId(Operator o) {
        return catalog.categories().stream().filter(c -> c.id().equals(o.categoryId())).mapToInt(Category::providerId)
                .findFirst().orElse(0);
    }

    private int locationId(Operator o) {
        return catalog.locations().stream().filter(l -> l.id().equals(o.locationId())).mapToInt(Location::providerId)
                .findFirst().orElse(0);
    }

    private static String clientRef(Fields in, Map<String, String> invalid) {
        String ref = in.get("client_ref_id");
        if (ref == null) {
            invalid.put("client_ref_id", "is required");
        } else if (!CLIENT_REF.matcher(ref).matches()) {
            invalid.put("client_ref_id", "must be more than 5 and less than 20 letters, digits, '.', '_', ':' or '-'");
        }
        return ref;
    }

    private static void commonChecks(Fields in, Map<String, String> invalid) {
        String mobile = in.get("confirmation_mobile_no");
        if (mobile != null && !MOBILE.matcher(mobile).matches()) {
            invalid.put("confirmation_mobile_no", "must be a 10-digit mobile number");
        }
        String latlong = in.get("latlong");
        if (latlong != null && !LATLONG.matcher(latlong).matches()) {
            invalid.put("latlong", "must be latitude,longitude");
        }
    }

    /** The operator's parameters beyond utility_acc_no, by param_name; other unknown fields are ignored. */
    private static Map<String, String> params(Operator operator, Fields in) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Param p : operator.params()) {
            if (!p.account() && !PAYMENT_FIELDS.contains(p.name())) {
                String value = in.get(p.name());
                if (value != null) {
                    params.put(p.name(), value);
                }
            }
        }
        return params;
    }

    private static Integer number(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!text.matches("^[0-9]{1,9}$")) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, name + " must be a number", Map.of(name, "must be a number"));
        }
        return Integer.valueOf(text);
    }

    private static void rejectIfInvalid(Map<String, String> invalid) {
        if (!invalid.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_PARAMETER, "Invalid parameters", invalid);
        }
    }

    private Answer answer(Map<String, Object> body) {
        return new Answer(200, json.writeValueAsString(body));
    }

    private ResponseEntity<String> ok(Map<String, Object> body) {
        return Responses.json(answer(body));
    }

}
