package billswitch.connector.eko;

import billswitch.connector.spi.Outcome;
import java.util.Optional;

/**
 * Every Eko code we know, and what it means for a payment: the one status map of the Eko connector (after
 * Hyperswitch's connectors' transformers). Sources: /work/shared/protocols.md section 2, seed 003, Eko's
 * published status table, and the codes our own Eko dialect adds ({@code api/dialect/eko/EkoCodes}: 901-907,
 * 999), since a BillSwitch may be the upstream.
 * <p>
 * An Eko answer says what happened in up to four places, read in this order by {@link EkoProtocol}:
 * <ol>
 *   <li>the HTTP status ({@link #http}): 403 is Eko refusing our key or timestamp;</li>
 *   <li>a non-zero envelope {@code status} ({@link #status}): why a request was refused;</li>
 *   <li>{@code data.tx_status} ({@link #txStatus}): the transaction's own state;</li>
 *   <li>{@code response_status_id} ({@link #responseStatusId}) when there is no tx_status.</li>
 * </ol>
 * A refusal means something else on a status enquiry than on a payment: a refused <em>payment</em> was not made,
 * but a refused <em>enquiry</em> says nothing about the payment it asked for, so on an enquiry every refusal is
 * UNKNOWN (ask again later), and only "not found" is FAILED: the janitor asks only long after any request of
 * ours could still arrive, so an attempt Eko has no record of never reached it. A fetch is refused for the same
 * reasons as a payment and reads the payment column.
 * <p>
 * {@code tryElsewhere} is set only where Eko certainly made no payment and another route may: our float at Eko
 * is short (347), Eko refused our credentials or onboarding (HTTP 403, 319, 346, 463 "user not found"), or the
 * biller is down there (906). A code not in this map is UNKNOWN, never FAILED.
 */
final class EkoStatusMap {

    /** Which call an answer belongs to. */
    enum Call { PAYMENT, ENQUIRY }

    /** What one code means: the outcome, whether the next route may take the payment, and why. */
    record Meaning(Outcome outcome, boolean tryElsewhere, String description) {
        Meaning {
            if (tryElsewhere && outcome != Outcome.FAILED) {
                throw new IllegalArgumentException("only a FAILED code can send a payment elsewhere");
            }
        }
    }

    private EkoStatusMap() {
    }

    /**
     * The HTTP status, when it decides alone: 403 (Eko's "incorrect secret-key or timestamp", refused before any
     * processing), and on an enquiry anything but 200 (the enquiry was refused or misrouted). Empty: read the body.
     */
    static Optional<Meaning> http(int httpStatus, Call call) {
        if (call == Call.ENQUIRY) {
            return httpStatus == 200 ? Optional.empty()
                    : Optional.of(unknown("the status enquiry was answered HTTP " + httpStatus + ": ask again later"));
        }
        return httpStatus == 403
                ? Optional.of(elsewhere("HTTP 403: Eko refused our developer_key, secret-key or timestamp"))
                : Optional.empty();
    }

    /** A non-zero envelope {@code status}; empty when the code is not one we know. */
    static Optional<Meaning> status(int status, Call call) {
        boolean pay = call == Call.PAYMENT;
        Meaning meaning = switch (status) {
            case 97 -> pay ? failed("97: invalid parameters") : refusedEnquiry("97: invalid parameters");
            case 208 -> pay ? failed("208: the amount differs from the fetched bill")
                    : refusedEnquiry("208: amount differs from the fetched bill");
            case 319 -> pay ? elsewhere("319: invalid initiator") : refusedEnquiry("319: invalid initiator");
            case 346 -> pay ? elsewhere("346: user not onboarded") : refusedEnquiry("346: user not onboarded");
            case 347 -> pay ? elsewhere("347: insufficient balance (our float at Eko is short)")
                    : refusedEnquiry("347: insufficient balance");
            // Eko documents 463 as "user not found": on an enquiry it may be our own onboarding, not the attempt.
            case 463 -> pay ? elsewhere("463: not found (user, or the operator on this upstream)")
                    : refusedEnquiry("463: not found (the user, or the transaction): says nothing sure of the attempt");
            case 168 -> pay ? unknown("168: TID does not exist, not an answer to a payment")
                    : failed("168: TID does not exist: the attempt never reached Eko");
            // Our client_ref_id is unique per attempt: "already used" means an order with it exists there.
            case 901 -> pay ? unknown("901: client_ref_id already used: the upstream has an order with it")
                    : refusedEnquiry("901: client_ref_id already used");
            case 902 -> pending("902: the request is still in progress");
            case 903 -> pay ? failed("903: the bill must be fetched first") : refusedEnquiry("903: bill not fetched");
            case 906 -> pay ? elsewhere("906: the biller is unavailable on this upstream")
                    : refusedEnquiry("906: biller unavailable");
            case 907 -> pay ? elsewhere("907: the upstream is busy and did nothing") : refusedEnquiry("907: busy");
            case 999 -> unknown("999: internal error at the upstream");
            default -> null;
        };
        return Optional.ofNullable(meaning);
    }

    /** {@code data.tx_status}: the transaction's state, whatever the call. */
    static Meaning txStatus(int txStatus) {
        return switch (txStatus) {
            case 0 -> new Meaning(Outcome.SUCCESS, false, "tx_status 0: success");
            case 1 -> failed("tx_status 1: failed");
            case 2 -> pending("tx_status 2: initiated, response awaited");
            case 3 -> failed("tx_status 3: refund pending (failed after acceptance)");
            case 4 -> failed("tx_status 4: refunded (failed after acceptance)");
            case 5 -> pending("tx_status 5: on hold, enquiry required");
            case 6 -> pending("tx_status 6: response awaited");
            default -> unknown("tx_status " + txStatus + " is not one Eko publishes");
        };
    }

    /** {@code response_status_id}, read when an answer with status 0 carries no tx_status. */
    static Meaning responseStatusId(int id) {
        return switch (id) {
            case -2 -> unknown("response_status_id -2: another transaction in progress for the user");
            case -1 -> unknown("response_status_id -1: a non-transactional success, not a payment's state");
            case 0 -> new Meaning(Outcome.SUCCESS, false, "response_status_id 0: success");
            case 1 -> failed("response_status_id 1: failed");
            case 2 -> pending("response_status_id 2: initiated");
            case 3 -> failed("response_status_id 3: refund initiated (failed after acceptance)");
            case 4 -> failed("response_status_id 4: refunded (failed after acceptance)");
            case 5 -> pending("response_status_id 5: on hold");
            default -> unknown("response_status_id " + id + " is not one Eko publishes");
        };
    }

    /** A non-zero status this map does not know, with no tx_status beside it. */
    static Meaning unmapped(String what) {
        return unknown(what + " is not in Eko's status map");
    }

    private static Meaning failed(String description) {
        return new Meaning(Outcome.FAILED, false, description);
    }

    private static Meaning elsewhere(String description) {
        return new Meaning(Outcome.FAILED, true, description);
    }

    private static Meaning pending(String description) {
        return new Meaning(Outcome.PENDING, false, description);
    }

    private static Meaning unknown(String description) {
        return new Meaning(Outcome.UNKNOWN, false, description);
    }

    private static Meaning refusedEnquiry(String description) {
        return unknown(description + " (the enquiry was refused; it says nothing of the payment)");
    }
}
