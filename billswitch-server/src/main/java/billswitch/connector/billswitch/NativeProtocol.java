package billswitch.connector.billswitch;

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
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.infra.crypto.Hmac;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The native v1 API of another BillSwitch, as its partner: a distributor running BillSwitch buys from a master
 * distributor running BillSwitch. The upstream's side is its {@code api/v1} (NativeController, NativeAuthFilter,
 * NativeViews, ErrorBody) and its webhooks; its README's "native API" section documents both.
 * <ul>
 *   <li>fetch: {@code POST /v1/bills/fetch} {operatorId, accountNumber, params?, reference: the fetch's
 *       reference}. The upstream's fetch id travels in {@link Bill#upstreamContext()} as {@code apiKey:id}, and
 *       paying that bill names it as {@code billFetchId}; a bill another connector fetched (another context) is
 *       paid without one, and the upstream takes that account's latest fetch of the last 24 hours.</li>
 *   <li>pay: {@code POST /v1/recharges} {operatorId, accountNumber, amountMinor, currency, productCode?} for a
 *       recharge operator ({@link Operator#isRecharge()}), else {@code POST /v1/bills/pay} {operatorId,
 *       accountNumber, params?, amountMinor, currency, billFetchId?, channel}; header
 *       {@code Idempotency-Key} = the attempt's reference, which the upstream keeps as its order's reference.
 *       Its recharges take no channel: a recharge is sent on the upstream's default, INSTANT.</li>
 *   <li>status: {@code GET /v1/transactions?reference={the attempt's reference}}.</li>
 *   <li>complaint: {@code POST /v1/complaints} {reference: the attempt's reference, type, description}: 201 with
 *       its {@code id}, {@code status}, {@code dueAt}; read later by {@code GET /v1/complaints/{id}}. 409
 *       COMPLAINT_EXISTS (a retry after an answer we lost) is taken, with the open one's id from its
 *       {@code fields.complaintId}; BUSY, RATE_LIMITED and any 5xx are unreached (sent again later); any other
 *       error is a refusal.</li>
 *   <li>balance: {@code GET /v1/wallet?currency={C}}: our available balance there, in minor units, where C is
 *       the {@code currency} credential (INR when not given). The upstream keeps one wallet per currency and the
 *       balance enquiry names no operator, so the currency of the float is configured.</li>
 * </ul>
 * {@code operatorId} is the route's upstream code (the operator's id in the upstream's catalog); a route that
 * names none sends our own operator id, which two BillSwitches on the same catalog share. Amounts are minor
 * units of the operator's currency on both sides: sent as they are, with the operator's currency.
 * <p>
 * Every call is signed with the {@code apiKey} and {@code secret} credentials: headers {@code X-Api-Key},
 * {@code X-Timestamp} (Unix milliseconds of sending), {@code X-Signature-Version: 2} and {@code X-Signature =
 * base64(HMAC-SHA256(secret, "v2" + "\n" + timestamp + "\n" + METHOD + "\n" + path?query + "\n" + Content-Type + "\n"
 * + Idempotency-Key + "\n" + body))} over the exact bytes and header values sent (an absent header signs as empty
 * text). The path is the one
 * sent relative to the connector's base URL: the upstream must serve {@code /v1} at its base URL's root.
 * <p>
 * Answers: 200 or 202 with the upstream's transaction view, read by its {@code status} through
 * {@link NativeStatusMap}; any other with its error body {"error":{"code","message","fields"}}, read by the
 * code. A result's upstreamCode is that status or that code; its message the transaction's failure ("code:
 * message"), else its id and status, or the error's message. A transaction that is not the one asked for (another
 * reference, or a bill in another currency) is not read: UNKNOWN.
 * <p>
 * Callbacks are the upstream's webhooks, posted to the callback URL configured for us there: header
 * {@code BillSwitch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhookSecret, t + "." + raw body)>}, body
 * {"id","type","createdAt","data":{transactionId, reference, status, operatorRef, failure, ...}}. Authentic
 * when signed with the optional {@code webhookSecret} credential and {@code t} is within 5 minutes of our clock
 * (the upstream signs each delivery afresh); without a webhookSecret no callback is authentic. The notice's
 * reference is {@code data.reference}, the attempt's reference we sent as Idempotency-Key. The clock is
 * for this tolerance only; requests are signed at the {@code now} they are built for.
 */
final class NativeProtocol implements Protocol {
    private static final String CONTENT_TYPE = "application/json";
    /** How far a webhook's signing time may be from our clock. */
    private static final Duration WEBHOOK_TOLERANCE = Duration.ofMinutes(5);
    private static final Pattern WEBHOOK_SIGNATURE = Pattern.compile("^t=([0-9]{1,12}),v1=([0-9a-f]{64})$");
    private static final Pattern FETCH_ID = Pattern.compile("^[0-9]{1,18}$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String apiKey;
    private final Secret<String> secret;
    private final Secret<String> webhookSecret;
    private final Currency floatCurrency;
    private final Clock clock;

    /** {@code webhookSecret} may be null: then no callback is authentic. */
    NativeProtocol(String apiKey, Secret<String> secret, Secret<String> webhookSecret, Currency floatCurrency, Clock clock) {
        this.apiKey = apiKey;
        this.secret = secret;
        this.webhookSecret = webhookSecret;
        this.floatCurrency = floatCurrency;
        this.clock = clock;
    }

    @Override
    public HttpCall fetchBill(BillQuery query, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operatorId", operatorId(query.upstreamCode(), query.operator()));
        body.put("accountNumber", query.accountNumber());
        if (!query.params().isEmpty()) {
            body.put("params", new TreeMap<>(query.params()));
        }
        body.put("reference", query.reference());
        return post("/v1/bills/fetch", Map.of(), body, now);
    }

    @Override
    public BillResult fetchAnswer(BillQuery query, HttpAnswer answer) {
        JsonNode root = read(answer);
        JsonNode error = root.get("error");
        if (error != null) {
            return NativeStatusMap.fetchRefused(required(error, "code"), text(error, "message"));
        }
        JsonNode bill = root.get("bill");
        if (!"BILL_FETCH".equals(text(root, "kind")) || !"SUCCESS".equals(text(root, "status"))
                || bill == null || !bill.isObject()) {
            throw new IllegalArgumentException("not a fetched bill");
        }
        if (!query.reference().equals(text(root, "reference"))) {
            throw new IllegalArgumentException("the fetch of reference " + text(root, "reference") + ", not "
                    + query.reference());
        }
        if (!query.operator().currency().name().equals(text(root, "currency"))) {
            throw new IllegalArgumentException("a bill in " + text(root, "currency") + ", not "
                    + query.operator().currency());
        }
        return new BillResult(Outcome.SUCCESS, new Bill(number(bill, "amountMinor"), text(bill, "customerName"),
                text(bill, "billNumber"), text(bill, "period"), date(bill, "billDate"), date(bill, "dueDate"),
                bill.path("partialPaymentAllowed").booleanValue(), apiKey + ":" + required(root, "id")),
                "SUCCESS", "Bill fetched as transaction " + text(root, "id"));
    }

    @Override
    public HttpCall pay(PaymentInstruction instruction, Instant now) {
        Operator operator = instruction.operator();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operatorId", operatorId(instruction.upstreamCode(), operator));
        body.put("accountNumber", instruction.accountNumber());
        if (!operator.isRecharge() && !instruction.params().isEmpty()) {
            body.put("params", new TreeMap<>(instruction.params()));
        }
        body.put("amountMinor", instruction.amountMinor());
        body.put("currency", operator.currency().name());
        if (operator.isRecharge()) {
            if (instruction.productCode() != null) {
                body.put("productCode", instruction.productCode());
            }
        } else {
            String fetchId = fetchId(instruction.bill());
            if (fetchId != null) {
                body.put("billFetchId", fetchId);
            }
            body.put("channel", instruction.channel().name());
        }
        return post(operator.isRecharge() ? "/v1/recharges" : "/v1/bills/pay",
                Map.of("Idempotency-Key", instruction.reference()), body, now);
    }

    @Override
    public ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        JsonNode root = read(answer);
        JsonNode error = root.get("error");
        if (error != null) {
            return NativeStatusMap.paymentRefused(required(error, "code"), text(error, "message"));
        }
        return transaction(instruction, answer, root);
    }

    /** Its BUSY (HTTP 503): the batch queue was full and nothing of the request was written there. */
    @Override
    public boolean readsServerError(HttpAnswer answer) {
        JsonNode error = answer.status() == 503 ? read(answer).get("error") : null;
        return error != null && ErrorCode.BUSY.name().equals(text(error, "code"));
    }

    @Override
    public HttpCall status(PaymentInstruction instruction, Instant now) {
        return get("/v1/transactions?reference=" + URLEncoder.encode(instruction.reference(), StandardCharsets.UTF_8), now);
    }

    /**
     * The upstream's transaction with our reference, or TRANSACTION_NOT_FOUND: FAILED, for the janitor asks only
     * after the initiated grace, long after our request could still arrive (see {@link NativeStatusMap}).
     */
    @Override
    public ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        JsonNode root = read(answer);
        JsonNode error = root.get("error");
        if (error != null) {
            return NativeStatusMap.enquiryRefused(required(error, "code"), text(error, "message"));
        }
        return transaction(instruction, answer, root);
    }

    @Override
    public boolean takesComplaints() {
        return true;
    }

    @Override
    public HttpCall complaint(UpstreamComplaint complaint, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", complaint.reference());
        body.put("type", complaint.type());
        body.put("description", complaint.description());
        return post("/v1/complaints", Map.of(), body, now);
    }

    @Override
    public ComplaintReceipt complaintAnswer(UpstreamComplaint complaint, HttpAnswer answer) {
        JsonNode root = read(answer);
        JsonNode error = root.get("error");
        if (error != null) {
            String code = required(error, "code");
            String message = code + ": " + text(error, "message");
            if (code.equals(ErrorCode.COMPLAINT_EXISTS.name())) {
                return ComplaintReceipt.taken(text(error.path("fields"), "complaintId"), null, message);
            }
            return refusal(code, message);
        }
        if (answer.status() != 201 && answer.status() != 200) {
            throw new IllegalArgumentException("HTTP " + answer.status() + " without an error body");
        }
        if (!complaint.reference().equals(text(root, "reference"))) {
            throw new IllegalArgumentException("a complaint about reference " + text(root, "reference"));
        }
        return complaintView(root);
    }

    @Override
    public HttpCall complaintStatus(String upstreamComplaintId, Instant now) {
        if (!FETCH_ID.matcher(upstreamComplaintId).matches()) {
            throw new IllegalArgumentException("not a complaint id of the native API: " + upstreamComplaintId);
        }
        return get("/v1/complaints/" + upstreamComplaintId, now);
    }

    @Override
    public ComplaintReceipt complaintStatusAnswer(String upstreamComplaintId, HttpAnswer answer) {
        JsonNode root = read(answer);
        JsonNode error = root.get("error");
        if (error != null) {
            String code = required(error, "code");
            return refusal(code, code + ": " + text(error, "message"));
        }
        if (answer.status() != 200 || !upstreamComplaintId.equals(text(root, "id"))) {
            throw new IllegalArgumentException("not complaint " + upstreamComplaintId);
        }
        return complaintView(root);
    }

    /** Busy or over our limits there: sent again later; any other error: the upstream's no. */
    private static ComplaintReceipt refusal(String code, String message) {
        if (code.equals(ErrorCode.BUSY.name()) || code.equals(ErrorCode.RATE_LIMITED.name())
                || code.equals(ErrorCode.DATABASE_UNAVAILABLE.name())) {
            return ComplaintReceipt.unreached(message);
        }
        return ComplaintReceipt.refused(message);
    }

    /** The upstream's complaint view: its id, its status, and its resolution or deadline in words. */
    private static ComplaintReceipt complaintView(JsonNode root) {
        String status = required(root, "status");
        String resolution = text(root, "resolution");
        String message = resolution != null ? resolution : "due " + text(root, "dueAt");
        return ComplaintReceipt.taken(required(root, "id"), status, message);
    }

    @Override
    public Optional<HttpCall> balance(Instant now) {
        return Optional.of(get("/v1/wallet?currency=" + floatCurrency.name(), now));
    }

    @Override
    public long balanceAnswer(HttpAnswer answer) {
        JsonNode root = read(answer);
        if (answer.status() == 200) {
            for (JsonNode wallet : root.path("wallets")) {
                if (floatCurrency.name().equals(text(wallet, "currency"))) {
                    return number(wallet, "availableMinor");
                }
            }
        }
        throw new IllegalArgumentException("no " + floatCurrency + " wallet in the answer (HTTP " + answer.status() + ")");
    }

    @Override
    public Optional<CallbackNotice> callback(CallbackRequest request) {
        if (webhookSecret == null || !authentic(request)) {
            return Optional.empty();
        }
        JsonNode data = read(request.body()).get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("a webhook without data");
        }
        return Optional.of(CallbackNotice.signed(required(data, "reference"),
                NativeStatusMap.transaction(required(data, "status"), text(data, "operatorRef"), message(data))));
    }

    /** The upstream's signature over "t.body" with our webhook secret, signed within the tolerance of our clock. */
    private boolean authentic(CallbackRequest request) {
        String header = request.header("BillSwitch-Signature");
        Matcher signature = header == null ? null : WEBHOOK_SIGNATURE.matcher(header);
        if (signature == null || !signature.matches()) {
            return false;
        }
        long signedAt = Long.parseLong(signature.group(1));
        byte[] signed = concat((signature.group(1) + ".").getBytes(StandardCharsets.UTF_8), request.body());
        byte[] expected = HexFormat.of().formatHex(Hmac.sha256(bytes(webhookSecret), signed))
                .getBytes(StandardCharsets.UTF_8);
        return Hmac.equal(expected, signature.group(2).getBytes(StandardCharsets.UTF_8))
                && Math.abs(clock.instant().getEpochSecond() - signedAt) <= WEBHOOK_TOLERANCE.toSeconds();
    }

    /** The transaction view answered to a payment or a status enquiry of {@code instruction}. */
    private static ConnectorResult transaction(PaymentInstruction instruction, HttpAnswer answer, JsonNode root) {
        if (answer.status() != 200 && answer.status() != 202) {
            throw new IllegalArgumentException("HTTP " + answer.status() + " without an error body");
        }
        if (!instruction.reference().equals(text(root, "reference"))) {
            throw new IllegalArgumentException("the transaction of reference " + text(root, "reference") + ", not "
                    + instruction.reference());
        }
        return NativeStatusMap.transaction(required(root, "status"), text(root, "operatorRef"), message(root));
    }

    /** What a transaction (view or webhook data) says of itself: its failure, else its id and status. */
    private static String message(JsonNode transaction) {
        JsonNode failure = transaction.get("failure");
        if (failure != null && failure.isObject()) {
            return text(failure, "code") + ": " + text(failure, "message");
        }
        String id = transaction.has("transactionId") ? text(transaction, "transactionId") : text(transaction, "id");
        return "Transaction " + id + " is " + text(transaction, "status");
    }

    /** The upstream's fetch id, when the bill was fetched through this upstream with this key. */
    private String fetchId(Bill bill) {
        String context = bill == null ? null : bill.upstreamContext();
        if (context == null || !context.startsWith(apiKey + ":")) {
            return null;
        }
        String id = context.substring(apiKey.length() + 1);
        return FETCH_ID.matcher(id).matches() ? id : null;
    }

    private static String operatorId(String upstreamCode, Operator operator) {
        return upstreamCode != null ? upstreamCode : operator.id();
    }

    private HttpCall post(String path, Map<String, String> headers, Map<String, Object> body, Instant now) {
        String json = JSON.writeValueAsString(body);
        Map<String, String> all = new LinkedHashMap<>(signed("POST", path, CONTENT_TYPE,
                headers.getOrDefault("Idempotency-Key", ""), json, now));
        all.putAll(headers);
        return HttpCall.post(path, all, CONTENT_TYPE, json);
    }

    private HttpCall get(String pathAndQuery, Instant now) {
        return HttpCall.get(pathAndQuery, signed("GET", pathAndQuery, "", "", "", now));
    }

    /** X-Api-Key, X-Timestamp, X-Signature-Version and X-Signature (version 2) for this request. */
    private Map<String, String> signed(String method, String pathAndQuery, String contentType, String idempotencyKey,
                                       String body, Instant now) {
        String timestamp = Long.toString(now.toEpochMilli());
        byte[] canonical = ("v2\n" + timestamp + "\n" + method + "\n" + pathAndQuery + "\n" + contentType + "\n"
                + idempotencyKey + "\n" + body).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", apiKey);
        headers.put("X-Timestamp", timestamp);
        headers.put("X-Signature-Version", "2");
        headers.put("X-Signature", Base64.getEncoder().encodeToString(Hmac.sha256(bytes(secret), canonical)));
        return headers;
    }

    private static byte[] bytes(Secret<String> secret) {
        return secret.reveal().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static JsonNode read(HttpAnswer answer) {
        return read(answer.body());
    }

    /** A JSON object; IllegalArgumentException for anything else. */
    private static JsonNode read(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return root;
    }

    /** A string member, or null when absent or not a string. */
    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static String required(JsonNode node, String name) {
        String value = text(node, name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }

    private static long number(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("no whole number " + name);
        }
        return value.longValue();
    }

    private static LocalDate date(JsonNode node, String name) {
        String value = text(node, name);
        return value == null ? null : LocalDate.parse(value);
    }

    /**
     * Another BillSwitch's daily report, JSON in its native vocabulary: {"transactions":[{"id", "reference" (ours),
     * "amountMinor", "status" (SUCCESS, PENDING, FAILED, REFUNDED, ...), "createdAt"}]}.
     */
    static final ReportFormat REPORT = new ReportFormat(ReportFormat.Syntax.JSON, "transactions", "id", "reference",
            "amountMinor", ReportFormat.AmountUnit.MINOR, "status", "createdAt", (status, id) -> {
                if (!java.util.Set.of("SUCCESS", "PENDING", "FAILED", "REFUNDED", "INITIATED", "UNKNOWN", "NEEDS_REVIEW")
                        .contains(status)) {
                    throw new IllegalArgumentException("status '" + status + "' is not a BillSwitch order status");
                }
                return NativeStatusMap.transaction(status, id, "BillSwitch report: " + status);
            });

    @Override
    public Optional<ReportFormat> report() {
        return Optional.of(REPORT);
    }
}
