package billswitch.connector.eko;

import billswitch.catalog.Operator;
import billswitch.connector.eko.EkoStatusMap.Call;
import billswitch.connector.eko.EkoStatusMap.Meaning;
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
import billswitch.connector.spi.UpstreamOperator;
import billswitch.shared.Currency;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eko's BBPS API (classic v2), as its client: the wire format of the "eko" connector. Pure: it builds requests
 * and reads answers; {@link billswitch.connector.http.HttpConnector} does the I/O.
 * <p><b>Credentials</b> ({@link EkoType}): {@code developerKey} goes out as the {@code developer_key} header;
 * {@code accessKey} never leaves, it keys {@code secret-key} and {@code request_hash} ({@link EkoSigner}) and
 * authenticates callbacks; {@code initiatorId} (our registered mobile number) is the {@code initiator_id} query
 * parameter of every call; {@code userCode} the {@code user_code} of fetches and payments.
 * <p><b>Calls</b>, each with the headers {@code developer_key}, {@code secret-key} and {@code secret-key-timestamp}
 * (Unix milliseconds of the moment of sending):
 * <ul>
 *   <li>fetch: POST {@code /ekoapi/v2/billpayments/fetchbill?initiator_id=}, client_ref_id = the query's reference;</li>
 *   <li>pay: POST {@code /ekoapi/v2/billpayments/paybill?initiator_id=}, client_ref_id = the attempt's reference,
 *       plus {@code request_hash} over timestamp + utility_acc_no + amount + user_code. Bills and recharges alike:
 *       Eko pays recharges through the same BBPS call;</li>
 *   <li>status: GET {@code /ekoapi/v1/transactions/client_ref_id:{reference}?initiator_id=};</li>
 *   <li>complaint: POST {@code /ekoapi/v2/billpayments/complaint?initiator_id=} {user_code, client_ref_id = the
 *       attempt's reference, complaint_type = the BBPS disposition, description}; read later by GET
 *       {@code /ekoapi/v2/billpayments/complaint/{complaint_id}?initiator_id=}. Eko publishes no complaint call: this
 *       is BillSwitch's own Eko-style complaint form (its README, Eko section), so an upstream BillSwitch reached
 *       through its Eko dialect takes our complaints. status 0: taken (data.complaint_id, data.complaint_status);
 *       909: it already has the open one (invalid_params.complaintId), taken; 907, HTTP 429 or 503: busy, sent again
 *       later; any other status: refused;</li>
 *   <li>balance: GET {@code /ekoapi/v3/user/account/balance?initiator_id=&customer_id_type=mobile_number&customer_id=}
 *       (Eko's "settlement account balance"; the wallet is the initiator's own), {@code data.balance} in rupees.</li>
 * </ul>
 * <p><b>Bodies</b> are JSON objects of strings (seed 003 names {@code Content-Type: application/json}): user_code,
 * client_ref_id, utility_acc_no, confirmation_mobile_no, sender_name, operator_id (the route's upstream code),
 * source_ip, latlong; on a payment amount, billfetchresponse (from the fetch, when the bill came through this
 * connector) and hc_channel=1 on the high-commission channel; then the operator's own parameters by their
 * param_name (postalcode, dob...), sorted by name. A parameter named like one of Eko's fields is refused.
 * <p><b>Amount</b>: rupees, as Eko's examples write them: whole rupees without decimals ("50"), else two decimals
 * ("50.50"); exactly the text the request_hash covers. Eko serves India only: an operator in another currency is
 * refused before sending (NOT_SENT).
 * <p><b>Where Eko is silent</b>, our choices: client_ref_id must be 6 to 19 letters, digits or {@code . _ : -}
 * (Eko: "more than 5 and less than 20 characters"), else the request is not sent. Eko asks for the end
 * customer's mobile and name and the agent's IP and location, which a switch does not have:
 * confirmation_mobile_no is the account of a prepaid mobile recharge when it is a mobile number, else our
 * initiator_id (our own registered mobile); sender_name is {@value #SENDER_NAME} (seed 003's sample sends the
 * merchant's brand); source_ip {@value #SOURCE_IP} and latlong {@value #LATLONG} (New Delhi, Eko's own example).
 * <p><b>Answers</b> go through {@link EkoStatusMap}: HTTP status, then a non-zero {@code status}, then
 * {@code data.tx_status}, then {@code response_status_id}. A fetch answers response_type_id 1052 with
 * data{amount, utilitycustomername, billdate, duedate, billnumber, billperiod, partial_payment,
 * billfetchresponse}; 1468 is a failed fetch. The bill keeps billfetchresponse (tagged {@code eko:}) to send
 * it back on the payment. The operator reference is data.bbpstrxnrefid, else Eko's tid. An answer naming
 * another client_ref_id than ours is unreadable (UNKNOWN). Status enquiry: an attempt Eko has no record of
 * (463, 168) is FAILED, because the janitor asks only long after any request of ours could still arrive; any
 * refusal of the enquiry itself is UNKNOWN.
 * <p><b>Callback</b>: Eko publishes no signed callback for BBPS, so ours takes a POST whose body is the status
 * enquiry's answer (or the flat transaction object Eko's webhook page shows), authenticated by
 * {@code secret-key} and {@code secret-key-timestamp} headers made with our access key exactly as Eko's
 * requests are, the timestamp within {@link #CALLBACK_WINDOW} of our clock. The signature covers the
 * timestamp only, not the body, as Eko's own scheme.
 */
final class EkoProtocol implements Protocol {
    static final String FETCH_PATH = "/ekoapi/v2/billpayments/fetchbill";
    static final String PAY_PATH = "/ekoapi/v2/billpayments/paybill";
    static final String INQUIRY_PATH = "/ekoapi/v1/transactions/client_ref_id:";
    static final String OPERATORS_PATH = "/ekoapi/v2/billpayments/operators";
    static final String BALANCE_PATH = "/ekoapi/v3/user/account/balance";
    static final String COMPLAINT_PATH = "/ekoapi/v2/billpayments/complaint";
    static final int FETCH_FAILED = 1468;
    static final String SENDER_NAME = "BillSwitch";
    static final String SOURCE_IP = "127.0.0.1";
    static final String LATLONG = "28.6139,77.2090";
    static final Duration CALLBACK_WINDOW = Duration.ofMinutes(5);
    /** How a bill's upstreamContext marks a billfetchresponse of Eko's, so no other connector's context is sent. */
    static final String CONTEXT_TAG = "eko:";

    private static final String JSON_TYPE = "application/json";
    private static final Pattern CLIENT_REF = Pattern.compile("^[A-Za-z0-9._:-]{6,19}$");
    private static final Pattern MOBILE = Pattern.compile("^[6-9][0-9]{9}$");
    private static final Pattern INTEGER = Pattern.compile("^-?[0-9]{1,9}$");
    private static final Pattern MILLIS = Pattern.compile("^[0-9]{1,18}$");
    private static final Pattern DECIMAL = Pattern.compile("^-?[0-9]{1,15}(\\.[0-9]{1,6})?$");
    private static final Set<String> EKO_FIELDS = Set.of("initiator_id", "user_code", "client_ref_id", "utility_acc_no",
            "confirmation_mobile_no", "sender_name", "operator_id", "source_ip", "latlong", "amount", "hc_channel",
            "billfetchresponse");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("dd-MM-uuuu"), DateTimeFormatter.ofPattern("dd/MM/uuuu"),
            DateTimeFormatter.ofPattern("dd-MMM-uuuu", Locale.ENGLISH));
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final String developerKey;
    private final EkoSigner signer;
    private final String initiatorId;
    private final String userCode;
    private final Clock clock;

    EkoProtocol(String developerKey, String accessKey, String initiatorId, String userCode, Clock clock) {
        this.developerKey = developerKey;
        this.signer = new EkoSigner(accessKey);
        this.initiatorId = initiatorId;
        this.userCode = userCode;
        this.clock = clock;
    }

    // ---- requests ------------------------------------------------------------------------------------

    @Override
    public HttpCall fetchBill(BillQuery query, Instant now) {
        rupeesOnly(query.operator());
        Map<String, String> body = customer(query.reference(), query.operator(), query.upstreamCode(), query.accountNumber());
        body.putAll(operatorParams(query.params()));
        return HttpCall.post(FETCH_PATH + initiator(), headers(now), JSON_TYPE, json(body));
    }

    @Override
    public HttpCall pay(PaymentInstruction instruction, Instant now) {
        rupeesOnly(instruction.operator());
        String amount = rupees(instruction.amountMinor());
        Map<String, String> body = customer(instruction.reference(), instruction.operator(), instruction.upstreamCode(),
                instruction.accountNumber());
        body.put("amount", amount);
        Bill bill = instruction.bill();
        if (bill != null && bill.upstreamContext() != null && bill.upstreamContext().startsWith(CONTEXT_TAG)) {
            body.put("billfetchresponse", bill.upstreamContext().substring(CONTEXT_TAG.length()));
        }
        if (instruction.channel() == Operator.Channel.HIGH_COMMISSION) {
            body.put("hc_channel", "1");
        }
        body.putAll(operatorParams(instruction.params()));
        Map<String, String> headers = headers(now);
        headers.put("request_hash", signer.requestHash(headers.get("secret-key-timestamp"),
                instruction.accountNumber(), amount, userCode));
        return HttpCall.post(PAY_PATH + initiator(), headers, JSON_TYPE, json(body));
    }

    @Override
    public HttpCall status(PaymentInstruction instruction, Instant now) {
        return HttpCall.get(INQUIRY_PATH + clientRef(instruction.reference()) + initiator(), headers(now));
    }

    @Override
    public Optional<HttpCall> balance(Instant now) {
        String mobile = encode(initiatorId);
        return Optional.of(HttpCall.get(BALANCE_PATH + initiator() + "&customer_id_type=mobile_number&customer_id="
                + mobile, headers(now)));
    }

    @Override
    public boolean takesComplaints() {
        return true;
    }

    @Override
    public HttpCall complaint(UpstreamComplaint complaint, Instant now) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("user_code", userCode);
        body.put("client_ref_id", clientRef(complaint.reference()));
        body.put("complaint_type", complaint.disposition());
        body.put("description", complaint.description());
        return HttpCall.post(COMPLAINT_PATH + initiator(), headers(now), JSON_TYPE, json(body));
    }

    @Override
    public ComplaintReceipt complaintAnswer(UpstreamComplaint complaint, HttpAnswer answer) {
        return complaintReceipt(answer, null);
    }

    @Override
    public HttpCall complaintStatus(String upstreamComplaintId, Instant now) {
        if (!MILLIS.matcher(upstreamComplaintId).matches()) {
            throw new IllegalArgumentException("not an Eko complaint_id: " + upstreamComplaintId);
        }
        return HttpCall.get(COMPLAINT_PATH + "/" + upstreamComplaintId + initiator(), headers(now));
    }

    @Override
    public ComplaintReceipt complaintStatusAnswer(String upstreamComplaintId, HttpAnswer answer) {
        return complaintReceipt(answer, upstreamComplaintId);
    }

    /** The complaint form's answer; {@code expectedId}: the complaint read (null: one registered). */
    private static ComplaintReceipt complaintReceipt(HttpAnswer answer, String expectedId) {
        if (answer.status() == 429 || answer.status() == 503) {
            return ComplaintReceipt.unreached("HTTP " + answer.status());
        }
        if (answer.status() == 403) {
            // our own credentials or clock: sent again once someone fixed them
            return ComplaintReceipt.unreached("HTTP 403: " + answer.text());
        }
        JsonNode root = parse(answer.body());
        int status = required(root, "status");
        String message = text(root, "message");
        if (status == 0) {
            JsonNode data = root.get("data");
            if (data == null || !data.isObject()) {
                throw new IllegalArgumentException("a complaint answer without data");
            }
            String id = text(data, "complaint_id");
            if (id == null || (expectedId != null && !expectedId.equals(id))) {
                throw new IllegalArgumentException("not the complaint asked for: " + id);
            }
            String resolution = text(data, "resolution");
            return ComplaintReceipt.taken(id, text(data, "complaint_status"),
                    resolution != null ? resolution : "due " + text(data, "due_at"));
        }
        if (status == 909 && expectedId == null) {
            JsonNode params = root.path("invalid_params");
            return ComplaintReceipt.taken(params.isObject() ? text(params, "complaintId") : null, null,
                    "909: " + message);
        }
        if (status == 907) {
            return ComplaintReceipt.unreached("907: " + message);
        }
        return ComplaintReceipt.refused(status + ": " + message);
    }

    @Override
    public Optional<HttpCall> operatorList(Instant now) {
        return Optional.of(HttpCall.get(OPERATORS_PATH, headers(now)));
    }

    @Override
    public List<UpstreamOperator> operatorListAnswer(HttpAnswer answer) {
        return EkoCatalog.operators(listAnswer(answer, "operators"));
    }

    @Override
    public Optional<HttpCall> operatorParams(String code, Instant now) {
        return Optional.of(HttpCall.get(OPERATORS_PATH + "/" + encode(code), headers(now)));
    }

    @Override
    public List<UpstreamOperator.Param> operatorParamsAnswer(HttpAnswer answer) {
        return EkoCatalog.params(listAnswer(answer, "operator parameters")).params();
    }

    private static JsonNode listAnswer(HttpAnswer answer, String what) {
        if (answer.status() != 200) {
            throw new IllegalArgumentException("the " + what + " list was answered HTTP " + answer.status());
        }
        return JSON.readTree(answer.body());
    }

    /** The fields every fetch and payment opens with, in seed 003's order. */
    private Map<String, String> customer(String reference, Operator operator, String upstreamCode, String account) {
        if (upstreamCode == null || upstreamCode.isBlank()) {
            throw new IllegalArgumentException("the route names no Eko operator_id for " + operator.id());
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("user_code", userCode);
        body.put("client_ref_id", clientRef(reference));
        body.put("utility_acc_no", account);
        body.put("confirmation_mobile_no", operator.kind() == Operator.Kind.PREPAID && MOBILE.matcher(account).matches()
                ? account : initiatorId);
        body.put("sender_name", SENDER_NAME);
        body.put("operator_id", upstreamCode);
        body.put("source_ip", SOURCE_IP);
        body.put("latlong", LATLONG);
        return body;
    }

    private static Map<String, String> operatorParams(Map<String, String> params) {
        Map<String, String> sorted = new TreeMap<>(params);
        for (String name : sorted.keySet()) {
            if (EKO_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the operator parameter " + name + " would overwrite Eko's own field");
            }
        }
        return sorted;
    }

    private Map<String, String> headers(Instant now) {
        String timestamp = Long.toString(now.toEpochMilli());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("developer_key", developerKey);
        headers.put("secret-key", signer.secretKey(timestamp));
        headers.put("secret-key-timestamp", timestamp);
        return headers;
    }

    private String initiator() {
        return "?initiator_id=" + encode(initiatorId);
    }

    private static String clientRef(String reference) {
        if (reference == null || !CLIENT_REF.matcher(reference).matches()) {
            throw new IllegalArgumentException("Eko's client_ref_id takes 6 to 19 letters, digits, '.', '_', ':' or '-', not "
                    + reference);
        }
        return reference;
    }

    private static void rupeesOnly(Operator operator) {
        if (operator.currency() != Currency.INR) {
            throw new IllegalArgumentException("Eko pays in INR only; " + operator.id() + " is in " + operator.currency());
        }
    }

    /** Paise as Eko's rupees: "50" for 5000, "50.50" for 5050. */
    static String rupees(long amountMinor) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("the amount must be positive, not " + amountMinor);
        }
        BigDecimal rupees = BigDecimal.valueOf(amountMinor, Currency.INR.minorDigits());
        return amountMinor % 100 == 0 ? rupees.setScale(0, RoundingMode.UNNECESSARY).toPlainString() : rupees.toPlainString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String json(Map<String, String> body) {
        return JSON.writeValueAsString(body);
    }

    // ---- answers -------------------------------------------------------------------------------------

    @Override
    public BillResult fetchAnswer(BillQuery query, HttpAnswer answer) {
        Optional<Meaning> byHttp = EkoStatusMap.http(answer.status(), Call.PAYMENT);
        if (byHttp.isPresent()) {
            return billResult(byHttp.get(), "HTTP_" + answer.status(), null);
        }
        JsonNode root = parse(answer.body());
        int status = required(root, "status");
        String message = text(root, "message");
        if (status != 0) {
            Optional<Meaning> refused = EkoStatusMap.status(status, Call.PAYMENT);
            if (refused.isPresent()) {
                return billResult(refused.get(), "status:" + status, message);
            }
        }
        Integer type = code(root, "response_type_id");
        if (type != null && type == FETCH_FAILED) {
            return new BillResult(Outcome.FAILED, null, "response_type_id:" + FETCH_FAILED,
                    message != null ? message : "Eko could not fetch the bill", false);
        }
        if (status != 0) {
            return billResult(EkoStatusMap.unmapped("status " + status), "status:" + status, message);
        }
        return new BillResult(Outcome.SUCCESS, bill(root.path("data")),
                type == null ? "status:0" : "response_type_id:" + type, message);
    }

    private static BillResult billResult(Meaning meaning, String code, String message) {
        return new BillResult(meaning.outcome(), null, code, message != null ? message : meaning.description(),
                meaning.tryElsewhere());
    }

    private static Bill bill(JsonNode data) {
        JsonNode amount = data.get("amount");
        if (amount == null || amount.isNull()) {
            throw new IllegalArgumentException("a fetched bill without data.amount");
        }
        long amountMinor = minor(amount, "data.amount");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("a bill of a negative amount: " + amount);
        }
        String token = text(data, "billfetchresponse");
        return new Bill(amountMinor, text(data, "utilitycustomername"), text(data, "billnumber"), text(data, "billperiod"),
                date(data, "billdate"), date(data, "duedate"), "1".equals(text(data, "partial_payment")),
                token == null ? null : CONTEXT_TAG + token);
    }

    @Override
    public ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return read(answer, Call.PAYMENT, instruction.reference());
    }

    @Override
    public ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return read(answer, Call.ENQUIRY, instruction.reference());
    }

    private static ConnectorResult read(HttpAnswer answer, Call call, String reference) {
        Optional<Meaning> byHttp = EkoStatusMap.http(answer.status(), call);
        if (byHttp.isPresent()) {
            return result(byHttp.get(), "HTTP_" + answer.status(), null, null);
        }
        return transaction(parse(answer.body()), call, reference);
    }

    /** An envelope {status, message, response_status_id, data{tx_status, client_ref_id, ...}} as an outcome. */
    private static ConnectorResult transaction(JsonNode root, Call call, String reference) {
        int status = required(root, "status");
        String message = text(root, "message");
        if (status != 0) {
            Optional<Meaning> refused = EkoStatusMap.status(status, call);
            if (refused.isPresent()) {
                return result(refused.get(), "status:" + status, message, null);
            }
        }
        JsonNode data = root.path("data");
        Integer txStatus = code(data, "tx_status");
        if (txStatus != null) {
            return txResult(data, txStatus, message, reference);
        }
        if (status != 0) {
            return result(EkoStatusMap.unmapped("status " + status), "status:" + status, message, null);
        }
        int id = required(root, "response_status_id");
        return result(EkoStatusMap.responseStatusId(id), "response_status_id:" + id, message, operatorRef(data));
    }

    private static ConnectorResult txResult(JsonNode data, int txStatus, String message, String reference) {
        String answered = text(data, "client_ref_id");
        if (answered != null && !answered.equals(reference)) {
            throw new IllegalArgumentException("the answer is about client_ref_id " + answered + ", not " + reference);
        }
        String description = message != null ? message : text(data, "txstatus_desc");
        return result(EkoStatusMap.txStatus(txStatus), "tx_status:" + txStatus, description, operatorRef(data));
    }

    private static ConnectorResult result(Meaning meaning, String code, String message, String operatorRef) {
        return new ConnectorResult(meaning.outcome(), operatorRef, code, message != null ? message : meaning.description(),
                meaning.tryElsewhere());
    }

    private static String operatorRef(JsonNode data) {
        String bbps = text(data, "bbpstrxnrefid");
        return bbps != null ? bbps : text(data, "tid");
    }

    @Override
    public long balanceAnswer(HttpAnswer answer) {
        if (answer.status() != 200) {
            throw new IllegalArgumentException("the balance enquiry was answered HTTP " + answer.status());
        }
        JsonNode root = parse(answer.body());
        int status = required(root, "status");
        if (status != 0) {
            throw new IllegalArgumentException("the balance enquiry was refused: status " + status + " " + text(root, "message"));
        }
        JsonNode balance = root.path("data").get("balance");
        if (balance == null || balance.isNull()) {
            throw new IllegalArgumentException("a balance answer without data.balance");
        }
        return minor(balance, "data.balance");
    }

    // ---- callback ------------------------------------------------------------------------------------

    @Override
    public Optional<CallbackNotice> callback(CallbackRequest request) {
        if (!authentic(request)) {
            return Optional.empty();
        }
        JsonNode root = parse(request.body());
        boolean envelope = root.has("status");
        JsonNode data = envelope ? root.path("data") : root;
        String reference = text(data, "client_ref_id");
        if (reference == null) {
            throw new IllegalArgumentException("a callback without client_ref_id");
        }
        if (envelope) {
            return Optional.of(new CallbackNotice(reference, transaction(root, Call.ENQUIRY, reference)));
        }
        Integer txStatus = code(data, "tx_status");
        if (txStatus == null) {
            throw new IllegalArgumentException("a callback without tx_status");
        }
        return Optional.of(new CallbackNotice(reference, txResult(data, txStatus, null, reference)));
    }

    private boolean authentic(CallbackRequest request) {
        String timestamp = request.header("secret-key-timestamp");
        String secretKey = request.header("secret-key");
        if (timestamp == null || secretKey == null || !MILLIS.matcher(timestamp).matches()) {
            return false;
        }
        long sentAt = Long.parseLong(timestamp);
        if (Math.abs(clock.millis() - sentAt) > CALLBACK_WINDOW.toMillis()) {
            return false;
        }
        return signer.admits(timestamp, secretKey);
    }

    // ---- reading JSON --------------------------------------------------------------------------------

    private static JsonNode parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        return root;
    }

    private static int required(JsonNode parent, String field) {
        Integer value = code(parent, field);
        if (value == null) {
            throw new IllegalArgumentException("an answer without " + field);
        }
        return value;
    }

    /** An integer sent as a number or as numeric text ("tx_status": "0"); null when absent. */
    private static Integer code(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isString() && INTEGER.matcher(node.stringValue().trim()).matches()) {
            return Integer.valueOf(node.stringValue().trim());
        }
        throw new IllegalArgumentException(field + " is not an integer: " + node);
    }

    /** A field as text: null when absent or blank; containers as compact JSON. */
    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isContainer() ? JSON.writeValueAsString(node) : node.asString();
        return text.isBlank() ? null : text;
    }

    /** Rupees (a JSON number or decimal text) as paise, exactly: more than two decimals is unreadable. */
    private static long minor(JsonNode node, String field) {
        BigDecimal rupees;
        if (node.isNumber()) {
            rupees = node.decimalValue();
        } else if (node.isString() && DECIMAL.matcher(node.stringValue().trim()).matches()) {
            rupees = new BigDecimal(node.stringValue().trim());
        } else {
            throw new IllegalArgumentException(field + " is not an amount: " + node);
        }
        try {
            return rupees.movePointRight(Currency.INR.minorDigits()).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + " is not a whole number of paise: " + node);
        }
    }

    /** A bill date in the formats billers use; null when absent or in none of them. */
    private static LocalDate date(JsonNode parent, String field) {
        String text = text(parent, field);
        if (text == null) {
            return null;
        }
        String day = text.length() > 10 && text.charAt(4) == '-' ? text.substring(0, 10) : text.trim();
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDate.parse(day, format);
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "EkoProtocol[initiator_id " + initiatorId + ", user_code " + userCode + "]";
    }

    /**
     * Eko's daily report (a CSV of the inquiry's data fields): tid, client_ref_id (our reference), amount (rupees),
     * tx_status (0 success, 1 failed, 2 initiated, 3 refund pending, 4 refunded, 5 on hold, 6 response awaited),
     * timestamp.
     */
    static final ReportFormat REPORT = new ReportFormat(ReportFormat.Syntax.CSV, null, "tid", "client_ref_id", "amount",
            ReportFormat.AmountUnit.MAJOR, "tx_status", "timestamp", (status, tid) -> {
                if (!status.matches("[0-9]")) {
                    throw new IllegalArgumentException("tx_status '" + status + "' is not one of Eko's (0 to 6)");
                }
                EkoStatusMap.Meaning m = EkoStatusMap.txStatus(Integer.parseInt(status));
                return new ConnectorResult(m.outcome(), tid, status, "Eko report: " + m.description(), false);
            });

    @Override
    public Optional<ReportFormat> report() {
        return Optional.of(REPORT);
    }
}
