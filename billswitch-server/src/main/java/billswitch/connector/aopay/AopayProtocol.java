package billswitch.connector.aopay;

import billswitch.catalog.Operator;
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
import billswitch.infra.crypto.Hmac;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * AOPay's API spoken as its client (protocols.md §1, seeds 000 and 001). Every call is a {@code POST} of a JSON
 * body to {@code /api/AOP/...} under the connector's base URL (the host, e.g. {@code https://api.aopay.co.in}),
 * and names us by {@code RegistrationID}.
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>call</th><th>bills ({@code isRecharge()} false)</th><th>recharges (prepaid mobile, DTH)</th></tr>
 *   <tr><td>fetch</td><td>{@code FetchBilPaymentDetails} {operator, canumber, mode, RegistrationID}</td><td></td></tr>
 *   <tr><td>pay</td><td>{@code BillPaymentPaybill} (seed 000), {@code referenceid} = the attempt's reference</td>
 *       <td>{@code V2/MobileRecharge} (seed 001) plus {@code ReferenceID} = the attempt's reference</td></tr>
 *   <tr><td>status</td><td>{@code BillPaymentStatus} {referenceid, RegistrationID}</td>
 *       <td>{@code V2/RechargeStatus} {RegistrationID, ReferanceId (sic)}</td></tr>
 *   <tr><td>balance</td><td colspan="2">{@code Balance} {RegistrationID}, answering {@code balance} in rupees:
 *       BillSwitch's <i>chosen</i> path (README); AOPay publishes none</td></tr>
 * </table>
 * Credentials: {@code registrationId} goes in every body; {@code signingKey}, when configured, signs every
 * request with {@code X-AOPay-Signature: base64(HMAC-SHA256(signingKey, raw body))} and authenticates callbacks
 * the same way. Without it requests go unsigned (AOPay must then have our address on its allow-list) and every
 * callback is refused: nothing could tell a forged one from a real one.
 * <p>
 * Choices where AOPay is silent, or where the seeds say little:
 * <ul>
 *   <li>The operator is the route's upstream code; when the route gives none, the catalog's AOPay codes
 *       ({@code aopayOperator} for bills, {@code aopayProductId} for recharges). ProductID must be a number.</li>
 *   <li>Amounts are rupees (INR only; any other currency is refused before sending). Bills send a string in the
 *       seed's style ("100", "100.5"). Recharges send {@code Amount} as an integer, as seed 001 documents it: a
 *       recharge with paise is refused before sending rather than rounded.</li>
 *   <li>{@code CustomerNumber} is a JSON number as documented when it is digits without a leading zero, else a
 *       string (a number would lose the zero).</li>
 *   <li>V2 recharges carry no client reference in AOPay's published API. We send {@code ReferenceID} (our
 *       dialect's documented extension, which keys the order by it and echoes it as {@code ReferanceID}) and ask
 *       {@code V2/RechargeStatus} by the same reference, so a BillSwitch upstream finds every recharge, even one
 *       whose answer we never read. An upstream that ignores the field assigns its own {@code ReferanceID},
 *       which we never store: our enquiry cannot find the recharge there. Its not-found answer is unpublished,
 *       so it reads UNKNOWN (the money stays held for a person) unless it is our 17, which would fail a
 *       recharge that may have been made.</li>
 *   <li>Location: the operator parameter {@code geocode} ("lat,long") when the payment carries one, else
 *       {@value #DEFAULT_GEOCODE}, seed 001's example; bills send it split into {@code latitude} and
 *       {@code longitude}. Other operator parameters (postalcode, dob) travel as top-level fields of bill
 *       fetches and payments, as our dialect reads them; none may shadow one of AOPay's own fields.</li>
 *   <li>{@code mode} is "offline" on the high-commission channel, else "online"; fetches are "online".</li>
 *   <li>The fetched {@code bill_fetch} object is kept as the bill's upstream context and sent back with the
 *       payment of that bill, as seed 000 does; a context that is not an AOPay bill_fetch (the bill was fetched
 *       through another connector) is not sent.</li>
 *   <li>Which field decides: {@code data.status} (the transaction's word) when the answer has one, else
 *       {@code response_code} (or {@code responsecode}); an answer with neither is unreadable (UNKNOWN). Bill
 *       fetches and the balance, which AOPay documents without a code, fall back on the {@code status} flag.</li>
 *   <li>A status answer that names another reference than the one asked for is unreadable (UNKNOWN).</li>
 *   <li>A status enquiry AOPay answers with "not found" (17) is FAILED: see {@link AopayStatusMap}.</li>
 * </ul>
 * Callbacks: AOPay publishes none; we accept a POST whose body has the {@code BillPaymentStatus} answer's shape,
 * signed as above, naming the attempt by {@code data.refid}.
 */
final class AopayProtocol implements Protocol {
    static final String SIGNATURE_HEADER = "X-AOPay-Signature";
    static final String DEFAULT_GEOCODE = "23.6784,76.8764";
    static final String GEOCODE_PARAM = "geocode";
    private static final String PATH = "/api/AOP/";
    private static final String JSON = "application/json";
    private static final Pattern GEOCODE = Pattern.compile("^(-?[0-9]{1,3}(?:\\.[0-9]{1,10})?),(-?[0-9]{1,3}(?:\\.[0-9]{1,10})?)$");
    private static final Pattern PRODUCT_ID = Pattern.compile("^[0-9]{1,9}$");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("^[1-9][0-9]{0,17}$");
    private static final DateTimeFormatter BILL_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("ddMMMyyyy").toFormatter(Locale.ENGLISH);

    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final String registrationId;
    private final String signingKey;

    /** {@code signingKey} null: unsigned requests (allow-listed address), no callback accepted. */
    AopayProtocol(String registrationId, String signingKey) {
        this.registrationId = registrationId;
        this.signingKey = signingKey;
    }

    // ---- bill fetch --------------------------------------------------------------------------------

    @Override
    public HttpCall fetchBill(BillQuery query, Instant now) {
        ObjectNode body = json.createObjectNode();
        body.put("operator", billOperator(query.operator(), query.upstreamCode()));
        body.put("canumber", query.accountNumber());
        body.put("mode", "online");
        body.put("RegistrationID", registrationId);
        addOperatorParams(body, query.params());
        return post("FetchBilPaymentDetails", body);
    }

    @Override
    public BillResult fetchAnswer(BillQuery query, HttpAnswer answer) {
        JsonNode root = parse(answer.body());
        String code = responseCode(root);
        AopayStatusMap.Meaning meaning = envelope(root, code);
        String message = message(root);
        if (meaning.outcome() != Outcome.SUCCESS) {
            return new BillResult(meaning.outcome(), null, code, message, meaning.tryElsewhere());
        }
        JsonNode fetched = root.path("bill_fetch");
        if (!flag(fetched.path("acceptPayment"), true)) {
            return BillResult.of(Outcome.FAILED, code, "The biller accepts no payment of this bill: " + message);
        }
        Bill bill = new Bill(paise(first(root.path("amount"), fetched.path("billnetamount"))),
                text(first(root.path("name"), fetched.path("userName"))), null, null,
                LocalDate.parse(required(fetched.path("billdate"), "bill_fetch.billdate"), BILL_DATE),
                LocalDate.parse(required(first(root.path("duedate"), fetched.path("dueDate")), "duedate")),
                flag(fetched.path("acceptPartPay"), false),
                fetched.isObject() ? json.writeValueAsString(fetched) : null);
        return new BillResult(Outcome.SUCCESS, bill, code, message);
    }

    // ---- payment -----------------------------------------------------------------------------------

    @Override
    public HttpCall pay(PaymentInstruction instruction, Instant now) {
        if (instruction.operator().currency() != Currency.INR) {
            throw new IllegalArgumentException("AOPay pays in rupees, not " + instruction.operator().currency());
        }
        return instruction.operator().isRecharge() ? recharge(instruction) : payBill(instruction);
    }

    /** Seed 000, with the attempt's reference as {@code referenceid}. */
    private HttpCall payBill(PaymentInstruction instruction) {
        Matcher location = geocode(instruction.params());
        ObjectNode body = json.createObjectNode();
        body.put("operator", billOperator(instruction.operator(), instruction.upstreamCode()));
        body.put("canumber", instruction.accountNumber());
        body.put("amount", BigDecimal.valueOf(instruction.amountMinor(), 2).stripTrailingZeros().toPlainString());
        body.put("referenceid", instruction.reference());
        body.put("latitude", location.group(1));
        body.put("longitude", location.group(2));
        body.put("RegistrationID", registrationId);
        body.put("mode", instruction.channel() == Operator.Channel.HIGH_COMMISSION ? "offline" : "online");
        billFetch(instruction.bill()).ifPresent(fetched -> body.set("bill_fetch", fetched));
        addOperatorParams(body, instruction.params());
        return post("BillPaymentPaybill", body);
    }

    /**
     * The bill_fetch this connector kept when it fetched the bill; none when the bill came from another
     * connector (its context is that connector's, not AOPay's: a route failed over) or from no fetch.
     */
    private Optional<JsonNode> billFetch(Bill bill) {
        if (bill == null || bill.upstreamContext() == null) {
            return Optional.empty();
        }
        try {
            JsonNode fetched = json.readTree(bill.upstreamContext());
            return fetched.isObject() && fetched.has("billnetamount") ? Optional.of(fetched) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** Seed 001, plus {@code ReferenceID}. */
    private HttpCall recharge(PaymentInstruction instruction) {
        if (instruction.amountMinor() % 100 != 0) {
            throw new IllegalArgumentException("AOPay recharges are whole rupees; " + instruction.amountMinor() + " paise is not");
        }
        String customer = instruction.accountNumber();
        ObjectNode body = json.createObjectNode();
        body.put("RegistrationID", registrationId);
        body.put("ProductID", productId(instruction.operator(), instruction.upstreamCode()));
        body.put("Amount", instruction.amountMinor() / 100);
        body.put("Geocode", geocode(instruction.params()).group());
        if (PLAIN_NUMBER.matcher(customer).matches()) {
            body.put("CustomerNumber", Long.parseLong(customer));
        } else {
            body.put("CustomerNumber", customer);
        }
        body.put("ReferenceID", instruction.reference());
        return post("V2/MobileRecharge", body);
    }

    @Override
    public ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return result(parse(answer.body()));
    }

    // ---- status ------------------------------------------------------------------------------------

    @Override
    public HttpCall status(PaymentInstruction instruction, Instant now) {
        ObjectNode body = json.createObjectNode();
        if (instruction.operator().isRecharge()) {
            body.put("RegistrationID", registrationId);
            body.put("ReferanceId", instruction.reference());
            return post("V2/RechargeStatus", body);
        }
        body.put("referenceid", instruction.reference());
        body.put("RegistrationID", registrationId);
        return post("BillPaymentStatus", body);
    }

    /** See {@link Protocol#statusAnswer}: "not found" (17) is FAILED. */
    @Override
    public ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        JsonNode root = parse(answer.body());
        String named = text(first(root.path("ReferanceID"), root.path("data").path("refid")));
        if (named != null && !named.isEmpty() && !named.equals(instruction.reference())) {
            throw new IllegalArgumentException("The status answer is about " + named + ", not " + instruction.reference());
        }
        String word = text(root.path("data").path("status"));
        if (word != null && !word.isEmpty()) {
            return result(root);
        }
        // No transaction in the answer: only "not found" (17) says anything of the payment. Any other code refused
        // the enquiry itself (signature, address, registration...): it says nothing, and FAILED would refund a
        // payment that may have been made.
        String code = responseCode(root);
        if (NOT_FOUND.equals(code)) {
            return result(root);
        }
        return ConnectorResult.of(Outcome.UNKNOWN, null, code == null ? "HTTP_" + answer.status() : code,
                "The status enquiry was refused: " + message(root));
    }

    /** AOPay's "no such transaction": on an enquiry, the attempt never reached it. */
    private static final String NOT_FOUND = "17";

    // ---- balance -----------------------------------------------------------------------------------

    @Override
    public Optional<HttpCall> balance(Instant now) {
        ObjectNode body = json.createObjectNode();
        body.put("RegistrationID", registrationId);
        return Optional.of(post("Balance", body));
    }

    @Override
    public long balanceAnswer(HttpAnswer answer) {
        JsonNode root = parse(answer.body());
        if (envelope(root, responseCode(root)).outcome() != Outcome.SUCCESS) {
            throw new IllegalArgumentException("The balance enquiry was refused: " + message(root));
        }
        return paise(root.path("balance"));
    }

    // ---- callback ----------------------------------------------------------------------------------

    @Override
    public Optional<CallbackNotice> callback(CallbackRequest request) {
        String signature = request.header(SIGNATURE_HEADER);
        if (signingKey == null || signature == null) {
            return Optional.empty();
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Hmac.equal(presented, Hmac.sha256(signingKey.getBytes(StandardCharsets.UTF_8), request.body()))) {
            return Optional.empty();
        }
        JsonNode root = parse(request.body());
        String reference = required(root.path("data").path("refid"), "data.refid");
        return Optional.of(CallbackNotice.signed(reference, result(root)));
    }

    // ---- requests ----------------------------------------------------------------------------------

    private HttpCall post(String call, ObjectNode body) {
        String text = json.writeValueAsString(body);
        Map<String, String> headers = signingKey == null ? Map.of() : Map.of(SIGNATURE_HEADER, Hmac.sha256Base64(signingKey, text));
        return HttpCall.post(PATH + call, headers, JSON, text);
    }

    private static String billOperator(Operator operator, String upstreamCode) {
        String code = upstreamCode != null ? upstreamCode : operator.codes().aopayOperator();
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("No AOPay operator code for " + operator.id());
        }
        return code;
    }

    private static long productId(Operator operator, String upstreamCode) {
        Integer catalogued = operator.codes().aopayProductId();
        String code = upstreamCode != null ? upstreamCode : catalogued == null ? null : catalogued.toString();
        if (code == null || !PRODUCT_ID.matcher(code).matches()) {
            throw new IllegalArgumentException("No numeric AOPay ProductID for " + operator.id() + ": " + code);
        }
        return Long.parseLong(code);
    }

    /** "lat,long" from the payment's geocode parameter, else the default; groups 1 and 2 are the two halves. */
    private static Matcher geocode(Map<String, String> params) {
        String given = params.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(GEOCODE_PARAM))
                .map(Map.Entry::getValue).findFirst().orElse(DEFAULT_GEOCODE);
        Matcher matcher = GEOCODE.matcher(given.replace(" ", ""));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("geocode must be \"latitude,longitude\", not " + given);
        }
        return matcher;
    }

    /** The operator's own parameters as top-level fields, in name order; none may shadow a field of ours. */
    private static void addOperatorParams(ObjectNode body, Map<String, String> params) {
        new TreeMap<>(params).forEach((name, value) -> {
            if (name.equalsIgnoreCase(GEOCODE_PARAM)) {
                return;
            }
            if (body.propertyNames().stream().anyMatch(name::equalsIgnoreCase)) {
                throw new IllegalArgumentException("The operator parameter " + name + " would shadow AOPay's own field");
            }
            body.put(name, value);
        });
    }

    // ---- answers -----------------------------------------------------------------------------------

    private JsonNode parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The answer is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("The answer is not a JSON object");
        }
        return root;
    }

    /** A payment or status answer: data.status when present, else the response code, through the status map. */
    private static ConnectorResult result(JsonNode root) {
        JsonNode data = root.path("data");
        String word = text(data.path("status"));
        String code = word != null && !word.isEmpty() ? word : responseCode(root);
        if (code == null) {
            throw new IllegalArgumentException("The answer has neither data.status nor response_code");
        }
        String operatorRef = text(first(root.path("operatorid"), data.path("operatorid"), data.path("txnId")));
        return AopayStatusMap.result(code, operatorRef == null || operatorRef.isEmpty() ? null : operatorRef, message(root));
    }

    /** An envelope AOPay documents without a code (fetch, balance): the code when there is one, else the flag. */
    private static AopayStatusMap.Meaning envelope(JsonNode root, String code) {
        if (code != null) {
            return AopayStatusMap.of(code);
        }
        if (!root.path("status").isBoolean()) {
            throw new IllegalArgumentException("The answer has neither response_code nor a status flag");
        }
        return AopayStatusMap.of(root.path("status").booleanValue() ? "SUCCESS" : "FAILED");
    }

    private static String responseCode(JsonNode root) {
        return text(first(root.path("response_code"), root.path("responsecode")));
    }

    /** The first non-empty of the answer's message, data.message and error. */
    private static String message(JsonNode root) {
        for (JsonNode node : new JsonNode[] {root.path("message"), root.path("data").path("message"), root.path("error")}) {
            String text = text(node);
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    /** Rupees, as a string or a number, in paise; exact or refused. */
    private static long paise(JsonNode node) {
        String text = node.isNumber() ? node.decimalValue().toPlainString() : text(node);
        Money amount = Money.parseMajor(text, Currency.INR);
        if (amount == null) {
            throw new IllegalArgumentException("Not an amount in rupees: " + text);
        }
        return amount.amountMinor();
    }

    private static JsonNode first(JsonNode... candidates) {
        for (JsonNode node : candidates) {
            if (!node.isMissingNode() && !node.isNull()) {
                return node;
            }
        }
        return candidates[candidates.length - 1];
    }

    /** A scalar's text; null when missing or null. */
    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isContainer()) {
            throw new IllegalArgumentException("Expected a value, got " + node);
        }
        return node.isString() ? node.stringValue() : node.asString();
    }

    private static String required(JsonNode node, String name) {
        String text = text(node);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("The answer has no " + name);
        }
        return text;
    }

    private static boolean flag(JsonNode node, boolean absent) {
        if (node.isMissingNode() || node.isNull()) {
            return absent;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return Boolean.parseBoolean(text(node));
    }

    /**
     * AOPay's daily report (a CSV of BillPaymentStatus's data fields): txnid, referenceid (our reference), amount
     * (rupees, 2 decimals), status (data.status: SUCCESS, PENDING, FAILED, REFUNDED, or a response_code), dateadded.
     */
    static final ReportFormat REPORT = new ReportFormat(ReportFormat.Syntax.CSV, null, "txnid", "referenceid", "amount",
            ReportFormat.AmountUnit.MAJOR, "status", "dateadded", (status, txnid) -> {
                if (!AopayStatusMap.codes().contains(status.toUpperCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("status '" + status + "' is not an AOPay status or response code");
                }
                return AopayStatusMap.result(status, txnid, "AOPay report: " + status);
            });

    @Override
    public Optional<ReportFormat> report() {
        return Optional.of(REPORT);
    }
}
