package billswitch.api.dialect.appotapay;

import billswitch.api.Responses;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.dialect.Fields;
import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
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
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AppotaPay's bill and top-up API (/api/v1/service/..., /api/v2/service/topup/...): JWT, request and
 * response signatures, errorCode table, VND as integers, time as dd-MM-yyyy HH:mm:ss. Translation only.
 */
@RestController
class AppotaController {
    static final String DIALECT = "APPOTAPAY";
    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd-MM-yyyy HH:mm:ss");
    private static final Pattern REF = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final Pattern VND = Pattern.compile("^[0-9]{1,12}$");
    /** AppotaPay's own worked example (seed 002) writes serviceCode "ENVHN" for EVNHN: accept both. */
    private static final Map<String, String> SERVICE_ALIASES = Map.of("ENVHN", "EVNHN");

    private final AppotaAuth auth;
    private final PaymentService payments;
    private final Catalog catalog;
    private final Ledger ledger;
    private final PartnerService partners;
    private final JsonMapper json = JsonMapper.builder().build();

    AppotaController(AppotaAuth auth, PaymentService payments, Catalog catalog, Ledger ledger, PartnerService partners) {
        this.auth = auth;
        this.payments = payments;
        this.catalog = catalog;
        this.ledger = ledger;
        this.partners = partners;
    }

    // ---- bills ---------------------------------------------------------------------------------------

    @PostMapping(path = "/api/v1/service/bill/check", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> checkBill(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        Fields in = Fields.of(request, body);
        String ref = reference(in);
        String billCode = in.required("billCode");
        String serviceCode = in.required("serviceCode");
        auth.checkSignature(caller, in.get("signature"), List.of(Map.of("billCode", billCode, "partnerRefId", ref,
                "serviceCode", serviceCode)));
        Operator operator = biller(serviceCode);
        Answer answer = payments.fetchBill(new FetchCommand(caller.partner().id(), DIALECT, ref, operator.id(), billCode,
                Map.of()), order -> checkAnswer(order));
        return Responses.json(answer);
    }

    private Answer checkAnswer(Order order) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("customerCode", order.accountNumber());
        customer.put("customerName", order.bill().customerName());
        customer.put("customerAddress", "");
        customer.put("customerOtherInfo", "");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", 0);
        body.put("message", AppotaCodes.OK_MESSAGE);
        body.put("billDetail", List.of(billDetail(order.bill())));
        body.put("customerInfo", customer);
        return answer(body);
    }

    private static Map<String, Object> billDetail(Bill bill) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("billNumber", bill.billNumber());
        d.put("period", bill.period());
        d.put("amount", bill.amountMinor());
        // An upstream need not state the dates (another aggregator's bill): then they are empty, not invented.
        d.put("billCreated", bill.billDate() == null ? "" : bill.billDate().atStartOfDay().format(TIME));
        d.put("billExpiry", bill.dueDate() == null ? "" : bill.dueDate().atStartOfDay().format(TIME));
        d.put("billType", "");
        d.put("billOtherInfo", "");
        d.put("isPartialPaymentAllowed", bill.partialPaymentAllowed());
        d.put("extraInfo", "");
        return d;
    }

    @PostMapping(path = "/api/v1/service/bill/pay", produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<String>> payBill(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        Fields in = Fields.of(request, body);
        String ref = reference(in);
        String billCode = in.required("billCode");
        String serviceCode = in.required("serviceCode");
        String amountText = in.required("amount");
        if (!VND.matcher(amountText).matches() || Long.parseLong(amountText) <= 0) {
            throw new BillSwitchException(ErrorCode.AMOUNT_OUT_OF_RANGE, "amount must be a positive whole number of dong.");
        }
        List<Map<String, String>> candidates = new ArrayList<>();
        for (String detail : billDetailTexts(in, body)) {
            candidates.add(Map.of("amount", amountText, "billCode", billCode, "billDetail", detail,
                    "partnerRefId", ref, "serviceCode", serviceCode));
        }
        auth.checkSignature(caller, in.get("signature"), candidates);
        Operator operator = biller(serviceCode);
        JsonNode echoed = billDetailNode(in);
        PayCommand command = new PayCommand(caller.partner().id(), DIALECT, ref, OrderKind.BILL_PAY, operator.id(), billCode,
                Map.of(), Money.of(Long.parseLong(amountText), Currency.VND), Operator.Channel.INSTANT, null, null);
        return payments.pay(command, order -> answer(billTransaction(caller, order, echoed))).thenApply(Responses::json);
    }

    @GetMapping(path = "/api/v1/service/bill/transaction/{partnerRefId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> billStatus(@PathVariable String partnerRefId, HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        Order order = payments.orderByReference(caller.partner().id(), partnerRefId);
        return Responses.json(answer(billTransaction(caller, order, null)));
    }

    /** Seed 002's answer; signed over amount, appotapayTransId, billAmount, errorCode, time. */
    private Map<String, Object> billTransaction(PartnerService.Credential caller, Order order, JsonNode echoedDetail) {
        int errorCode = AppotaCodes.of(order.status());
        String time = TIME.format(order.updatedAt().atZone(VIETNAM));
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("appotapayTransId", Long.toString(order.id()));
        transaction.put("partnerRefId", order.reference());
        transaction.put("amount", order.debitMinor());
        transaction.put("billAmount", order.amountMinor());
        transaction.put("time", time);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", errorCode);
        body.put("message", message(order));
        body.put("billDetail", echoedDetail == null ? List.of() : echoedDetail);
        body.put("transaction", transaction);
        body.put("account", Map.of("balance", balanceAfter(order)));
        body.put("signature", AppotaSignatures.sign(caller.secret().reveal(), Map.of(
                "amount", Long.toString(order.debitMinor()), "appotapayTransId", Long.toString(order.id()),
                "billAmount", Long.toString(order.amountMinor()), "errorCode", Integer.toString(errorCode), "time", time)));
        return body;
    }

    // ---- top-up --------------------------------------------------------------------------------------

    @PostMapping(path = "/api/v2/service/topup/charging", produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<String>> topup(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        Fields in = Fields.of(request, body);
        String ref = reference(in);
        String telco = in.required("telco");
        String serviceType = in.required("telcoServiceType");
        String productCode = in.required("productCode");
        String phone = in.required("phoneNumber");
        auth.checkSignature(caller, in.get("signature"), List.of(Map.of("partnerRefId", ref, "phoneNumber", phone,
                "productCode", productCode, "telco", telco, "telcoServiceType", serviceType)));
        if (!serviceType.equals("prepaid")) {
            throw new BillSwitchException(ErrorCode.OPERATION_NOT_SUPPORTED,
                    "telcoServiceType must be prepaid: postpaid top-ups are not offered.");
        }
        Operator operator = catalog.findBy(Operator.ProviderCodes::appotaTelco, telco.toLowerCase())
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "Unknown telco " + telco));
        Plan plan = catalog.plan(operator.id(), productCode).orElseThrow(() ->
                new BillSwitchException(ErrorCode.UNKNOWN_PRODUCT, "Unknown productCode " + productCode + " for " + telco));
        PayCommand command = new PayCommand(caller.partner().id(), DIALECT, ref, OrderKind.RECHARGE, operator.id(), phone,
                Map.of(), Money.of(plan.amountMinor(), Currency.VND), Operator.Channel.INSTANT, null, productCode);
        return payments.pay(command, order -> answer(topupTransaction(caller, order, telco))).thenApply(Responses::json);
    }

    @GetMapping(path = "/api/v1/service/topup/transaction/{partnerRefId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> topupStatus(@PathVariable String partnerRefId, HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        Order order = payments.orderByReference(caller.partner().id(), partnerRefId);
        Operator operator = catalog.require(order.operatorId());
        return Responses.json(answer(topupTransaction(caller, order, operator.codes().appotaTelco())));
    }

    /**
     * Signed over amount, appotapayTransId, errorCode, phoneNumber, productCode, time, topupAmount. The
     * productCode is the one the order was placed with, as the partner sent it ("" for an order placed with
     * none, such as a native recharge by amount): never a plan guessed from the amount.
     */
    private Map<String, Object> topupTransaction(PartnerService.Credential caller, Order order, String telco) {
        String productCode = order.productCode() == null ? "" : order.productCode();
        int errorCode = AppotaCodes.of(order.status());
        String time = TIME.format(order.updatedAt().atZone(VIETNAM));
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("appotapayTransId", Long.toString(order.id()));
        transaction.put("partnerRefId", order.reference());
        transaction.put("telco", telco);
        transaction.put("phoneNumber", order.accountNumber());
        transaction.put("productCode", productCode);
        transaction.put("amount", order.debitMinor());
        transaction.put("topupAmount", order.amountMinor());
        transaction.put("time", time);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", errorCode);
        body.put("message", message(order));
        body.put("transaction", transaction);
        body.put("account", Map.of("balance", balanceAfter(order)));
        body.put("signature", AppotaSignatures.sign(caller.secret().reveal(), Map.of(
                "amount", Long.toString(order.debitMinor()), "appotapayTransId", Long.toString(order.id()),
                "errorCode", Integer.toString(errorCode), "phoneNumber", order.accountNumber(),
                "productCode", productCode, "time", time, "topupAmount", Long.toString(order.amountMinor()))));
        return body;
    }

    @GetMapping(path = "/api/v2/service/topup/productCodes", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> productCodes(HttpServletRequest request) {
        auth.authenticate(request);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Operator o : catalog.operators()) {
            if (o.codes().appotaTelco() == null) {
                continue;
            }
            List<Map<String, Object>> products = new ArrayList<>();
            int id = 0;
            for (Plan p : catalog.plans(o.id())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", ++id);
                m.put("productCode", p.code());
                m.put("amount", p.amountMinor());
                products.add(m);
            }
            Map<String, Object> telco = new LinkedHashMap<>();
            telco.put("telco", o.codes().appotaTelco());
            telco.put("description", o.name());
            telco.put("products", products);
            data.add(telco);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", 0);
        body.put("message", AppotaCodes.OK_MESSAGE);
        body.put("data", data);
        return Responses.json(answer(body));
    }

    @GetMapping(path = "/api/v1/service/accounts/balance", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> balance(HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        Ledger.WalletBalance b = ledger.balance(partners.walletId(caller.partner().id(), Currency.VND));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", 0);
        body.put("message", AppotaCodes.OK_MESSAGE);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("balance", b.fundsMinor());
        account.put("creditLimit", b.creditLimitMinor());
        body.put("account", account);
        return Responses.json(answer(body));
    }

    // ---- translation helpers -------------------------------------------------------------------------

    private static String message(Order order) {
        return switch (order.status()) {
            case SUCCESS -> AppotaCodes.OK_MESSAGE;
            case FAILED -> "Giao dịch thất bại (failed): " + order.failureMessage();
            case REFUNDED -> "Giao dịch thất bại, đã hoàn tiền (failed, refunded)";
            case PENDING -> "Giao dịch đang chờ xử lý (pending)";
            default -> "Giao dịch đang xử lý (processing)";
        };
    }

    private static long balanceAfter(Order order) {
        return switch (order.status()) {
            case SUCCESS -> order.walletClosingMinor() + order.price().netCommissionMinor();
            case FAILED, REFUNDED -> order.walletOpeningMinor();
            default -> order.walletClosingMinor();
        };
    }

    private Operator biller(String serviceCode) {
        String code = SERVICE_ALIASES.getOrDefault(serviceCode, serviceCode);
        return catalog.findBy(Operator.ProviderCodes::appotaServiceCode, code)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "Unknown serviceCode " + serviceCode));
    }

    /**
     * The texts billDetail may have been signed as: the string as sent; for a JSON array, its bytes exactly as
     * sent and its compact form; and "Array", which the documentation's own PHP example signs.
     */
    private List<String> billDetailTexts(Fields in, byte[] body) {
        List<String> texts = new ArrayList<>();
        JsonNode node = in.node("billDetail");
        String value = in.get("billDetail");
        if (node != null && node.isContainer()) {
            Optional.ofNullable(rawJsonValue(body, "billDetail")).ifPresent(texts::add);
            texts.add(json.writeValueAsString(node));
        } else {
            texts.add(value == null ? "" : value);
        }
        texts.add("Array");
        return texts;
    }

    private JsonNode billDetailNode(Fields in) {
        JsonNode node = in.node("billDetail");
        if (node != null && node.isContainer()) {
            return node;
        }
        String text = in.get("billDetail");
        if (text != null) {
            try {
                JsonNode parsed = json.readTree(text);
                if (parsed != null && parsed.isContainer()) {
                    return parsed;
                }
            } catch (JacksonException e) {
                return null;
            }
        }
        return null;
    }

    /** A top-level field's JSON value exactly as the client wrote it. */
    private String rawJsonValue(byte[] body, String field) {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean match = field.equalsIgnoreCase(parser.currentName());
                parser.nextToken();
                long start = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                long end = parser.currentLocation().getByteOffset();
                if (match && start >= 0 && end > start) {
                    return new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
                }
            }
        } catch (JacksonException e) {
            return null;
        }
        return null;
    }

    private static String reference(Fields in) {
        String ref = in.required("partnerRefId");
        if (!REF.matcher(ref).matches()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "partnerRefId must be 1-64 letters, digits, '.', '_', ':' or '-'.",
                    Map.of("partnerRefId", "invalid"));
        }
        return ref;
    }


    private Answer answer(Map<String, Object> body) {
        return new Answer(200, json.writeValueAsString(body));
    }

}
