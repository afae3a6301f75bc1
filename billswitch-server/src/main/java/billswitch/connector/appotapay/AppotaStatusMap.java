package billswitch.connector.appotapay;

import static billswitch.connector.spi.Outcome.FAILED;
import static billswitch.connector.spi.Outcome.PENDING;
import static billswitch.connector.spi.Outcome.SUCCESS;
import static billswitch.connector.spi.Outcome.UNKNOWN;

import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import java.util.Map;
import java.util.TreeMap;

/**
 * AppotaPay's one status map: every errorCode of its table (protocols.md section 3) to our outcome on each of
 * the three calls that can carry it, and which FAILED codes may send the payment to the next route.
 * <p>
 * One code means different things on different calls, so each row has three columns:
 * <ul>
 *   <li><b>fetch</b> (bill/check): SUCCESS only with a bill; a code that says there is no bill to pay is FAILED;
 *       "ask later" codes are UNKNOWN (a fetch has no later).</li>
 *   <li><b>pay</b> (bill/pay, topup/charging): 0 SUCCESS; 34 processing and 35 pending PENDING; 99 unknown and
 *       500 system error UNKNOWN, never FAILED; 31 duplicate partnerRefId is UNKNOWN, not a decline: the upstream
 *       already holds an attempt with our reference, and the status enquiry tells what became of it; every
 *       stated decline is FAILED.</li>
 *   <li><b>status</b> (bill/transaction, topup/transaction, and callbacks, which have its shape): 36 not found is
 *       FAILED, since the janitor asks only long after any request of ours could still arrive. A code that
 *       refuses the enquiry itself (bad parameters or signature, our key, account or address refused,
 *       maintenance, provider down, busy, service missing) says nothing about the payment: UNKNOWN, asked again,
 *       never FAILED (which would refund a payment that may have been made). A code that is a transaction's
 *       recorded result (12, 32, 33, the bill codes) is FAILED as on a payment.</li>
 * </ul>
 * "Try elsewhere" (FAILED, and the payment was certainly not made there): our float with AppotaPay is short
 * (12), AppotaPay or the biller/telco is in maintenance, down or busy (40, 41, 91), it does not serve this
 * provider or service (110, 112), or it refused our credentials or address (2, 11, 13, 14, 23, 92, and HTTP
 * 401/403 whatever the body). Invalid parameters (1) and invalid amounts (32) are plain declines: the same
 * request would fail anywhere. A code outside the table is UNKNOWN on every call.
 */
final class AppotaStatusMap {

    /** The call an answer answers. */
    enum Call { FETCH, PAY, STATUS }

    /**
     * One row: the code as the upstream sent it, what it means, its outcome on each call, and whether a FAILED
     * outcome may go to the next route.
     */
    record Code(String upstreamCode, String meaning, Outcome fetch, Outcome pay, Outcome status, boolean tryElsewhere) {

        Outcome on(Call call) {
            return switch (call) {
                case FETCH -> fetch;
                case PAY -> pay;
                case STATUS -> status;
            };
        }

        /** A payment's or a status enquiry's result for this code; the message is the upstream's own, if any. */
        ConnectorResult result(Call call, String operatorRef, String message) {
            Outcome outcome = on(call);
            return new ConnectorResult(outcome, operatorRef, upstreamCode, describe(message),
                    tryElsewhere && outcome == FAILED);
        }

        /** A bill check's result for this code when it brought no bill. */
        BillResult billResult(String message) {
            return new BillResult(fetch, null, upstreamCode, describe(message), tryElsewhere && fetch == FAILED);
        }

        private String describe(String message) {
            return message == null || message.isBlank() ? meaning : meaning + ": " + message;
        }
    }

    private static final Map<Integer, Code> CODES = new TreeMap<>();

    static {
        //  code  meaning                              fetch    pay      status   try elsewhere
        row(0, "success", SUCCESS, SUCCESS, SUCCESS, false);
        row(1, "missing or invalid parameters", FAILED, FAILED, UNKNOWN, false);
        row(2, "bad signature", FAILED, FAILED, UNKNOWN, true);
        row(11, "partner not found", FAILED, FAILED, UNKNOWN, true);
        row(12, "insufficient balance", FAILED, FAILED, FAILED, true);
        row(13, "partner locked", FAILED, FAILED, UNKNOWN, true);
        row(14, "API key missing", FAILED, FAILED, UNKNOWN, true);
        row(23, "API key inactive", FAILED, FAILED, UNKNOWN, true);
        row(31, "duplicate partnerRefId", UNKNOWN, UNKNOWN, UNKNOWN, false);
        row(32, "invalid amount", FAILED, FAILED, FAILED, false);
        row(33, "failed", FAILED, FAILED, FAILED, false);
        row(34, "processing", UNKNOWN, PENDING, PENDING, false);
        row(35, "pending", UNKNOWN, PENDING, PENDING, false);
        row(36, "not found", FAILED, UNKNOWN, FAILED, false);
        row(40, "maintenance", FAILED, FAILED, UNKNOWN, true);
        row(41, "provider down", FAILED, FAILED, UNKNOWN, true);
        row(91, "busy", FAILED, FAILED, UNKNOWN, true);
        row(92, "IP not allowed", FAILED, FAILED, UNKNOWN, true);
        row(99, "unknown", UNKNOWN, UNKNOWN, UNKNOWN, false);
        row(110, "provider missing", FAILED, FAILED, UNKNOWN, true);
        row(112, "service missing", FAILED, FAILED, UNKNOWN, true);
        row(114, "wrong bill code", FAILED, FAILED, FAILED, false);
        row(115, "bill expired", FAILED, FAILED, FAILED, false);
        row(116, "bill not found", FAILED, FAILED, FAILED, false);
        row(117, "invalid amount", FAILED, FAILED, FAILED, false);
        row(118, "already paid", FAILED, FAILED, FAILED, false);
        row(120, "bill cancelled", FAILED, FAILED, FAILED, false);
        row(121, "already processed", FAILED, FAILED, FAILED, false);
        row(122, "no debt", FAILED, FAILED, FAILED, false);
        row(130, "customer not found", FAILED, FAILED, FAILED, false);
        row(133, "rejected", FAILED, FAILED, FAILED, false);
        row(500, "system error", UNKNOWN, UNKNOWN, UNKNOWN, false);
    }

    private AppotaStatusMap() {
    }

    private static void row(int errorCode, String meaning, Outcome fetch, Outcome pay, Outcome status,
                            boolean tryElsewhere) {
        CODES.put(errorCode, new Code(Integer.toString(errorCode), meaning, fetch, pay, status, tryElsewhere));
    }

    /** The row of an errorCode; a code outside the table is UNKNOWN on every call. */
    static Code of(long errorCode) {
        Code code = errorCode >= Integer.MIN_VALUE && errorCode <= Integer.MAX_VALUE ? CODES.get((int) errorCode) : null;
        return code != null ? code : new Code(Long.toString(errorCode), "errorCode " + errorCode + " is not in AppotaPay's table",
                UNKNOWN, UNKNOWN, UNKNOWN, false);
    }

    /**
     * HTTP 401 (the JWT refused) or 403 (our address or account refused), whatever the body says: the request
     * was not processed, so a payment or a fetch may go elsewhere; a status enquiry learned nothing.
     */
    static Code refused(int httpStatus) {
        return new Code("HTTP_" + httpStatus, "AppotaPay refused our credentials or address (HTTP " + httpStatus + ")",
                FAILED, FAILED, UNKNOWN, true);
    }
}
