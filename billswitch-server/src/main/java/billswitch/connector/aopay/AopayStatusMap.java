package billswitch.connector.aopay;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every AOPay code, one place, to an {@link Outcome}: the numeric {@code response_code} (or the legacy
 * {@code responsecode}) of the envelopes, and the transaction words of {@code data.status}. The published
 * codes are 1 (success), 5 and 20 (signature refused, HTTP 401); the others are the codes our own AOPay dialect
 * emits and the README documents (AopayCodes), which a BillSwitch upstream answers with.
 * <p>
 * "Try elsewhere" marks only the FAILED codes that say AOPay refused the request before processing it because
 * of AOPay or of us, not of the payment: our credentials, signature or address refused (5, 20, 21, 22, 23),
 * our float with it short (12), the operator unknown, unsupported or disabled there (11), the biller down (30),
 * AOPay too busy to take anything (31). A code missing from this map is UNKNOWN, never FAILED: the money stays
 * held until a status enquiry or a person settles it. Pending, in-progress and internal-error codes are PENDING
 * or UNKNOWN.
 * <p>
 * 17 "transaction not found" is FAILED: the janitor asks only long after a request of ours could still
 * arrive, so an attempt AOPay has no record of was never made.
 */
final class AopayStatusMap {

    /** What one AOPay code tells us. */
    record Meaning(Outcome outcome, boolean tryElsewhere) {
    }

    private static final Meaning SUCCESS = new Meaning(Outcome.SUCCESS, false);
    private static final Meaning PENDING = new Meaning(Outcome.PENDING, false);
    private static final Meaning FAILED = new Meaning(Outcome.FAILED, false);
    private static final Meaning ELSEWHERE = new Meaning(Outcome.FAILED, true);
    private static final Meaning UNKNOWN = new Meaning(Outcome.UNKNOWN, false);

    private static final Map<String, Meaning> CODES = Map.ofEntries(
            // response_code / responsecode
            Map.entry("1", SUCCESS),        // success (published)
            Map.entry("2", PENDING),        // pending, the operator has not answered yet
            Map.entry("3", FAILED),         // failed, amount refunded
            Map.entry("4", FAILED),         // refunded after being pending
            Map.entry("5", ELSEWHERE),      // "Invalid signature encoding", HTTP 401 (published): refused unread
            Map.entry("10", FAILED),        // malformed request or invalid field, HTTP 400
            Map.entry("11", ELSEWHERE),     // operator / ProductID unknown, unsupported or disabled there
            Map.entry("12", ELSEWHERE),     // insufficient balance: our float with AOPay is short
            Map.entry("13", UNKNOWN),       // referenceid already used: ours are unique per attempt, so an order with it exists there
            Map.entry("14", PENDING),       // the same referenceid is still in progress
            Map.entry("15", FAILED),        // amount outside limits or not allowed against the bill
            Map.entry("16", FAILED),        // bill not fetched / no bill due
            Map.entry("17", FAILED),        // transaction not found (see the class comment)
            Map.entry("20", ELSEWHERE),     // "Signature verification failed", HTTP 401 (published)
            Map.entry("21", ELSEWHERE),     // unknown RegistrationID, HTTP 401
            Map.entry("22", ELSEWHERE),     // address not allow-listed and no signature, HTTP 401
            Map.entry("23", ELSEWHERE),     // our registration suspended, HTTP 403
            Map.entry("30", ELSEWHERE),     // biller unavailable
            Map.entry("31", ELSEWHERE),     // busy, nothing done (HTTP 503, so normally UNKNOWN before any reader)
            Map.entry("99", UNKNOWN),       // internal error, HTTP 500: the outcome is not known
            // data.status
            Map.entry("SUCCESS", SUCCESS),
            Map.entry("PENDING", PENDING),
            Map.entry("FAILED", FAILED),
            Map.entry("REFUNDED", FAILED));

    private AopayStatusMap() {
    }

    /** The meaning of a response code or a status word (words in any case); UNKNOWN when the code is not mapped. */
    static Meaning of(String code) {
        return CODES.getOrDefault(code.toUpperCase(Locale.ROOT), UNKNOWN);
    }

    /** The result of an answer carrying this code. */
    static ConnectorResult result(String code, String operatorRef, String message) {
        Meaning meaning = of(code);
        return new ConnectorResult(meaning.outcome(), operatorRef, code, message, meaning.tryElsewhere());
    }

    /** Every mapped code, so the tests can show each one is tested. */
    static Set<String> codes() {
        return CODES.keySet();
    }
}
