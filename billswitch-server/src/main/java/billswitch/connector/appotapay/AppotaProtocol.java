package billswitch.connector.appotapay;

import billswitch.catalog.Operator;
import billswitch.connector.appotapay.AppotaStatusMap.Call;
import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.http.HttpCall;
import billswitch.connector.http.Protocol;
import billswitch.connector.http.ReportFormat;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.connector.spi.UpstreamOperator;
import billswitch.shared.Currency;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AppotaPay's wire format as its client (protocols.md section 3, seed 002), pure: every request is JSON with
 * {@code X-APPOTAPAY-AUTH: Bearer <JWT>} ({@link AppotaKeys}), amounts are whole dong (VND has no minor digits,
 * so a minor unit is a dong; an operator in another currency is refused before sending).
 * <ul>
 *   <li><b>Bill check</b>: POST /api/v1/service/bill/check {partnerRefId = the fetch's reference, billCode = the
 *       account, serviceCode = the route's upstream code, else the catalog's AppotaPay service code, signature
 *       over billCode, partnerRefId, serviceCode}. The bill: the sum of billDetail[].amount, the bill numbers and
 *       periods joined with ',', the first bill's billCreated and billExpiry (dd-MM-yyyy[ HH:mm:ss]; another
 *       format or "" is no date, not an error), partial payment only if every bill allows it, the name from
 *       customerInfo. Its upstreamContext is the billDetail array exactly as the answer wrote it. errorCode 0
 *       with an empty billDetail is FAILED: nothing is due.</li>
 *   <li><b>Bill payment</b> (operator not a recharge): POST /api/v1/service/bill/pay {partnerRefId = the
 *       attempt's reference, billCode, serviceCode, amount, billDetail, signature over amount, billCode,
 *       billDetail, partnerRefId, serviceCode}. billDetail is sent as a JSON <em>string</em> holding the bill's
 *       upstreamContext, and signed as that string: the page types it "String" (a JSON string of the check's
 *       array), and a string is signed unambiguously where an embedded array would be re-serialised by the
 *       upstream before checking. A payment without a checked AppotaPay bill is not sent (NOT_SENT): bill/pay
 *       needs the check's billDetail.</li>
 *   <li><b>Top-up</b> ({@link Operator#isRecharge()}): POST /api/v2/service/topup/charging {partnerRefId, telco,
 *       telcoServiceType "prepaid" (a recharge is prepaid; postpaid mobile is a bill), productCode, phoneNumber =
 *       the account, signature over all five}. The route's upstream code is "telco" or "telco:productCode"
 *       (without one, the catalog's AppotaPay telco). productCode: the route's, else the instruction's, else
 *       derived from the amount as our catalog's AppotaPay plans are coded, the telco's prefix and the amount in
 *       thousands of dong (viettel VTT, mobifone VMS, vinaphone VNP: 50,000 dong on viettel is VTT50); an
 *       amount that is not whole thousands, or another telco without a code, is not sent.</li>
 *   <li><b>Status</b>: GET /api/v1/service/bill/transaction/{partnerRefId} or
 *       /api/v1/service/topup/transaction/{partnerRefId}. <b>Balance</b>: GET /api/v1/service/accounts/balance,
 *       account.balance in dong.</li>
 * </ul>
 * Answers: errorCode through {@link AppotaStatusMap}; the operator reference is transaction.appotapayTransId.
 * HTTP 401/403 is our credentials or address refused whatever the body. Another 4xx is read like a 200 (AppotaPay,
 * and our own dialect, send 400 with errorCode 1); an answer without a readable errorCode throws (UNKNOWN).
 * <p>
 * <b>Answer signatures.</b> A payment or status answer (and a callback) carrying {@code signature} is checked:
 * over amount, appotapayTransId, billAmount, errorCode, time for bills; amount, appotapayTransId, errorCode,
 * phoneNumber, productCode, time, topupAmount for top-ups; each read from the {@code transaction} object (then
 * the top level; errorCode from the top level), a field absent from both signed as "". A signature that does
 * not match makes the answer UNKNOWN, whatever it says: it cannot be trusted, and the janitor asks again. An
 * answer without a signature is read as it stands (AppotaPay's error answers carry none). A transaction naming
 * a partnerRefId other than the attempt's is UNKNOWN too.
 * <p>
 * <b>Callbacks.</b> AppotaPay publishes none: we accept a body shaped as a status answer whose signature is ours
 * (the fields above with the secretKey; a top-up when the transaction carries topupAmount or phoneNumber), the
 * attempt named by transaction.partnerRefId (or a top-level one), mapped as a status answer. The signature does
 * not cover partnerRefId: a signed answer could be replayed under another reference, so a callback is as
 * trustworthy as AppotaPay's own signature scheme allows, no more.
 */
final class AppotaProtocol implements Protocol {
    static final String AUTH_HEADER = "X-APPOTAPAY-AUTH";
    static final String BILL_CHECK = "/api/v1/service/bill/check";
    static final String BILL_PAY = "/api/v1/service/bill/pay";
    static final String BILL_STATUS = "/api/v1/service/bill/transaction/";
    static final String TOPUP = "/api/v2/service/topup/charging";
    static final String TOPUP_STATUS = "/api/v1/service/topup/transaction/";
    static final String PRODUCT_CODES = "/api/v2/service/topup/productCodes";
    static final String BALANCE = "/api/v1/service/accounts/balance";

    private static final List<String> BILL_ANSWER_FIELDS = List.of("amount", "appotapayTransId", "billAmount", "errorCode", "time");
    private static final List<String> TOPUP_ANSWER_FIELDS = List.of("amount", "appotapayTransId", "errorCode", "phoneNumber",
            "productCode", "time", "topupAmount");
    /** The prefixes of our catalog's AppotaPay top-up products (VTT10 ... VTT500 are 10,000 ... 500,000 dong). */
    private static final Map<String, String> PRODUCT_PREFIXES = Map.of("viettel", "VTT", "mobifone", "VMS", "vinaphone", "VNP");
    private static final long THOUSAND = 1000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd-MM-yyyy[ HH:mm:ss]");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("^-?[0-9]{1,18}$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AppotaKeys keys;

    AppotaProtocol(AppotaKeys keys) {
        this.keys = keys;
    }

    // ---- bill check ------------------------------------------------------------------------------------

    @Override
    public HttpCall fetchBill(BillQuery query, Instant now) {
        requireVnd(query.operator());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("partnerRefId", query.reference());
        fields.put("billCode", query.accountNumber());
        fields.put("serviceCode", serviceCode(query.upstreamCode(), query.operator()));
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("signature", keys.sign(fields));
        return post(BILL_CHECK, body, now);
    }

    @Override
    public BillResult fetchAnswer(BillQuery query, HttpAnswer answer) {
        if (refused(answer)) {
            return AppotaStatusMap.refused(answer.status()).billResult(null);
        }
        byte[] body = answer.body();
        JsonNode root = object(body);
        long errorCode = errorCode(root);
        if (errorCode != 0) {
            return AppotaStatusMap.of(errorCode).billResult(text(root, "message"));
        }
        JsonNode details = root.get("billDetail");
        if (details == null || !details.isArray()) {
            throw new IllegalArgumentException("a bill check answered errorCode 0 without a billDetail array");
        }
        if (details.isEmpty()) {
            return new BillResult(Outcome.FAILED, null, "0", "AppotaPay shows no bill due", false);
        }
        return new BillResult(Outcome.SUCCESS, bill(root, details, rawValue(body, "billDetail")), "0", text(root, "message"));
    }

    private static Bill bill(JsonNode root, JsonNode details, String rawDetails) {
        long totalDong = 0;
        boolean partial = true;
        List<String> numbers = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        for (JsonNode detail : details) {
            if (!detail.isObject()) {
                throw new IllegalArgumentException("a billDetail entry is not an object");
            }
            totalDong = Math.addExact(totalDong, wholeDong(detail, "amount"));
            partial &= "true".equals(text(detail, "isPartialPaymentAllowed"));
            addIfPresent(numbers, text(detail, "billNumber"));
            addIfPresent(periods, text(detail, "period"));
        }
        JsonNode first = details.get(0);
        return new Bill(totalDong, text(root.get("customerInfo"), "customerName"), joined(numbers), joined(periods),
                date(text(first, "billCreated")), date(text(first, "billExpiry")), partial, rawDetails);
    }

    // ---- payment ---------------------------------------------------------------------------------------

    @Override
    public HttpCall pay(PaymentInstruction instruction, Instant now) {
        long amountDong = dong(instruction);
        return instruction.operator().isRecharge() ? topup(instruction, now) : billPay(instruction, amountDong, now);
    }

    private HttpCall topup(PaymentInstruction instruction, Instant now) {
        Product product = product(instruction);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("partnerRefId", instruction.reference());
        fields.put("telco", product.telco());
        fields.put("telcoServiceType", "prepaid");
        fields.put("productCode", product.code());
        fields.put("phoneNumber", instruction.accountNumber());
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("signature", keys.sign(fields));
        return post(TOPUP, body, now);
    }

    private HttpCall billPay(PaymentInstruction instruction, long amountDong, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("partnerRefId", instruction.reference());
        fields.put("billCode", instruction.accountNumber());
        fields.put("serviceCode", serviceCode(instruction.upstreamCode(), instruction.operator()));
        fields.put("amount", Long.toString(amountDong));
        fields.put("billDetail", billDetail(instruction));
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("amount", amountDong);
        body.put("signature", keys.sign(fields));
        return post(BILL_PAY, body, now);
    }

    @Override
    public ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return transactionAnswer(Call.PAY, instruction, answer);
    }

    @Override
    public HttpCall status(PaymentInstruction instruction, Instant now) {
        String path = (instruction.operator().isRecharge() ? TOPUP_STATUS : BILL_STATUS)
                + URLEncoder.encode(instruction.reference(), StandardCharsets.UTF_8).replace("+", "%20");
        return HttpCall.get(path, Map.of(AUTH_HEADER, keys.authorization(now)));
    }

    /** An attempt AppotaPay has no record of (36) is FAILED: the janitor asks long after ours could arrive. */
    @Override
    public ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return transactionAnswer(Call.STATUS, instruction, answer);
    }

    private ConnectorResult transactionAnswer(Call call, PaymentInstruction instruction, HttpAnswer answer) {
        if (refused(answer)) {
            return AppotaStatusMap.refused(answer.status()).result(call, null, null);
        }
        JsonNode root = object(answer.body());
        long errorCode = errorCode(root);
        JsonNode transaction = transaction(root);
        String reference = field(root, transaction, "partnerRefId");
        if (reference != null && !reference.equals(instruction.reference())) {
            return ConnectorResult.of(Outcome.UNKNOWN, null, "OTHER_REFERENCE",
                    "The answer is about partnerRefId " + reference + ", not " + instruction.reference());
        }
        if (!authentic(root, transaction, instruction.operator().isRecharge())) {
            return ConnectorResult.of(Outcome.UNKNOWN, null, "BAD_SIGNATURE",
                    "The answer's signature does not match its fields: it cannot be trusted");
        }
        return AppotaStatusMap.of(errorCode).result(call, field(root, transaction, "appotapayTransId"), text(root, "message"));
    }

    // ---- balance ---------------------------------------------------------------------------------------

    @Override
    public Optional<HttpCall> balance(Instant now) {
        return Optional.of(HttpCall.get(BALANCE, Map.of(AUTH_HEADER, keys.authorization(now))));
    }

    @Override
    public long balanceAnswer(HttpAnswer answer) {
        if (refused(answer)) {
            throw new IllegalStateException("AppotaPay refused the balance enquiry with HTTP " + answer.status());
        }
        JsonNode root = object(answer.body());
        long errorCode = errorCode(root);
        if (errorCode != 0) {
            throw new IllegalStateException("AppotaPay answered the balance enquiry with errorCode " + errorCode);
        }
        JsonNode account = root.get("account");
        if (account == null || !account.isObject()) {
            throw new IllegalArgumentException("the balance answer has no account");
        }
        return wholeDong(account, "balance");
    }

    // ---- topup product codes (a catalog import) ---------------------------------------------------------

    @Override
    public Optional<HttpCall> operatorList(Instant now) {
        return Optional.of(HttpCall.get(PRODUCT_CODES, Map.of(AUTH_HEADER, keys.authorization(now))));
    }

    @Override
    public List<UpstreamOperator> operatorListAnswer(HttpAnswer answer) {
        if (refused(answer)) {
            throw new IllegalStateException("AppotaPay refused the productCodes list with HTTP " + answer.status());
        }
        return AppotaCatalog.topupProducts(object(answer.body()));
    }

    // ---- callback --------------------------------------------------------------------------------------

    @Override
    public Optional<CallbackNotice> callback(CallbackRequest request) {
        JsonNode root;
        long errorCode;
        try {
            root = object(request.body());
            errorCode = errorCode(root);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the callback is not JSON", e);
        }
        JsonNode transaction = transaction(root);
        String reference = field(root, transaction, "partnerRefId");
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("the callback names no partnerRefId");
        }
        boolean topup = transaction.has("topupAmount") || transaction.has("phoneNumber");
        if (text(root, "signature") == null || !authentic(root, transaction, topup)) {
            return Optional.empty();
        }
        return Optional.of(new CallbackNotice(reference, AppotaStatusMap.of(errorCode)
                .result(Call.STATUS, field(root, transaction, "appotapayTransId"), text(root, "message"))));
    }

    // ---- what is sent ----------------------------------------------------------------------------------

    private HttpCall post(String path, Map<String, Object> body, Instant now) {
        return HttpCall.post(path, Map.of(AUTH_HEADER, keys.authorization(now)), "application/json",
                JSON.writeValueAsString(body));
    }

    /** Minor units of VND are dong; AppotaPay takes nothing else. */
    private static long dong(PaymentInstruction instruction) {
        requireVnd(instruction.operator());
        if (instruction.amountMinor() <= 0) {
            throw new IllegalArgumentException("the amount must be positive, not " + instruction.amountMinor());
        }
        return instruction.amountMinor();
    }

    private static void requireVnd(Operator operator) {
        if (operator.currency() != Currency.VND) {
            throw new IllegalArgumentException("AppotaPay pays in VND only; " + operator.id() + " is in " + operator.currency());
        }
    }

    private static String serviceCode(String upstreamCode, Operator operator) {
        String code = upstreamCode != null ? upstreamCode : operator.codes().appotaServiceCode();
        if (code == null || code.isBlank()) {
            throw new IllegalStateException(operator.id() + " has no AppotaPay service code on this route or in the catalog");
        }
        return code;
    }

    /** What a top-up buys: the telco and its productCode. */
    private record Product(String telco, String code) {
    }

    /** The telco and the productCode of a top-up, as the class comment orders them. */
    private static Product product(PaymentInstruction instruction) {
        String code = instruction.upstreamCode() != null ? instruction.upstreamCode() : instruction.operator().codes().appotaTelco();
        if (code == null || code.isBlank()) {
            throw new IllegalStateException(instruction.operator().id() + " has no AppotaPay telco on this route or in the catalog");
        }
        int colon = code.indexOf(':');
        String telco = colon < 0 ? code : code.substring(0, colon);
        String product = colon < 0 || colon == code.length() - 1 ? instruction.productCode() : code.substring(colon + 1);
        if (product == null || product.isBlank()) {
            product = productByAmount(telco, instruction.amountMinor());
        }
        return new Product(telco, product);
    }

    private static String productByAmount(String telco, long amountDong) {
        String prefix = PRODUCT_PREFIXES.get(telco.toLowerCase(Locale.ROOT));
        if (prefix == null) {
            throw new IllegalStateException("no productCode for telco " + telco + ": give the route the upstream code "
                    + telco + ":<productCode>");
        }
        if (amountDong % THOUSAND != 0) {
            throw new IllegalStateException("no " + telco + " product costs " + amountDong + " dong (whole thousands only)");
        }
        return prefix + amountDong / THOUSAND;
    }

    /** The check's billDetail, kept as the bill's upstreamContext; it must be a JSON array. */
    private static String billDetail(PaymentInstruction instruction) {
        String detail = instruction.bill() == null ? null : instruction.bill().upstreamContext();
        if (detail == null) {
            throw new IllegalStateException("AppotaPay pays a bill it checked: the payment carries no billDetail from bill/check");
        }
        JsonNode node = JSON.readTree(detail);
        if (node == null || !node.isArray()) {
            throw new IllegalStateException("the bill's upstreamContext is not an AppotaPay billDetail array");
        }
        return detail;
    }

    // ---- what is read ----------------------------------------------------------------------------------

    private static boolean refused(HttpAnswer answer) {
        return answer.status() == 401 || answer.status() == 403;
    }

    /** The answer's signature, when it has one, is ours over its signed fields. */
    private boolean authentic(JsonNode root, JsonNode transaction, boolean topup) {
        String signature = text(root, "signature");
        if (signature == null) {
            return true;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : topup ? TOPUP_ANSWER_FIELDS : BILL_ANSWER_FIELDS) {
            String value = name.equals("errorCode") ? text(root, name) : field(root, transaction, name);
            fields.put(name, value == null ? "" : value);
        }
        return keys.signed(signature, fields);
    }

    private static JsonNode object(byte[] body) {
        JsonNode root = JSON.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the answer is not a JSON object");
        }
        return root;
    }

    private static long errorCode(JsonNode root) {
        String code = text(root, "errorCode");
        if (code == null || !WHOLE_NUMBER.matcher(code).matches()) {
            throw new IllegalArgumentException("the answer has no errorCode");
        }
        return Long.parseLong(code);
    }

    /** The transaction object of a pay or status answer; the answer itself when it has none. */
    private static JsonNode transaction(JsonNode root) {
        JsonNode transaction = root.get("transaction");
        return transaction != null && transaction.isObject() ? transaction : root;
    }

    /** A field of the transaction, else of the top level. */
    private static String field(JsonNode root, JsonNode transaction, String name) {
        String value = text(transaction, name);
        return value != null ? value : text(root, name);
    }

    /** A field's value as text (numbers and booleans as written); null when absent or null. */
    private static String text(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        return value.isValueNode() ? value.asString() : JSON.writeValueAsString(value);
    }

    private static long wholeDong(JsonNode node, String name) {
        String value = text(node, name);
        if (value == null || !WHOLE_NUMBER.matcher(value).matches() || value.startsWith("-")) {
            throw new IllegalArgumentException(name + " is not a whole number of dong: " + value);
        }
        return Long.parseLong(value);
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void addIfPresent(List<String> values, String value) {
        if (value != null && !value.isBlank()) {
            values.add(value);
        }
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    /** A top-level field's JSON value exactly as the answer wrote it. */
    private static String rawValue(byte[] body, String field) {
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean match = field.equals(parser.currentName());
                parser.nextToken();
                long start = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                long end = parser.currentLocation().getByteOffset();
                if (match) {
                    return new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalArgumentException("the answer has no " + field);
    }

    /**
     * AppotaPay's daily report, JSON as its status answers: {"transactions":[{"appotapayTransId", "partnerRefId" (our
     * reference), "amount" (VND, whole), "errorCode" (the status enquiry's: 0 success, 33 failed, 35 pending, ...),
     * "time" (dd-MM-yyyy HH:mm:ss)}]}.
     */
    static final ReportFormat REPORT = new ReportFormat(ReportFormat.Syntax.JSON, "transactions", "appotapayTransId",
            "partnerRefId", "amount", ReportFormat.AmountUnit.MAJOR, "errorCode", "time", (status, transId) -> {
                if (!status.matches("[0-9]{1,4}")) {
                    throw new IllegalArgumentException("errorCode '" + status + "' is not an AppotaPay errorCode");
                }
                return AppotaStatusMap.of(Long.parseLong(status)).result(AppotaStatusMap.Call.STATUS, transId, "AppotaPay report");
            });

    @Override
    public Optional<ReportFormat> report() {
        return Optional.of(REPORT);
    }
}
