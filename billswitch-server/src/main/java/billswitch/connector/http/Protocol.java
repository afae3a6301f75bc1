package billswitch.connector.http;

import billswitch.connector.spi.UpstreamOperator;
import java.util.List;

import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.PaymentInstruction;
import java.time.Instant;
import java.util.Optional;

/**
 * One provider's wire format, pure: it builds each request and reads each answer, and does no I/O (as
 * Hyperswitch's connectors' transformers do). {@link HttpConnector} sends what it builds, under the
 * connector's timeouts and bound. Every provider code reaches an outcome through the provider's one status map.
 * <p>
 * The readers see every answer the upstream gave with a status below 500 (a 5xx is UNKNOWN before any reader
 * is asked, unless {@link #readsServerError} claims it). A reader that cannot make sense of an answer throws: that is UNKNOWN too, never FAILED.
 * {@code now} is the moment of sending, for timestamps and signatures.
 */
public interface Protocol {

    HttpCall fetchBill(BillQuery query, Instant now);

    BillResult fetchAnswer(BillQuery query, HttpAnswer answer);

    HttpCall pay(PaymentInstruction instruction, Instant now);

    ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer);

    /** The status enquiry of an attempt by its reference. */
    HttpCall status(PaymentInstruction instruction, Instant now);

    /**
     * The answer to a status enquiry. An attempt the upstream has no record of is FAILED: the janitor asks only
     * after the initiated grace, long after any request of ours could still arrive.
     */
    ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer);

    /** The balance enquiry, or empty when the provider has none. */
    Optional<HttpCall> balance(Instant now);

    /** Our float in minor units. */
    long balanceAnswer(HttpAnswer answer);

    /**
     * An asynchronous status notification the upstream posted to our callback endpoint for this connector:
     * empty when it is not authentic (then answered 401 and ignored); throws IllegalArgumentException when
     * it cannot be read (400).
     */
    Optional<CallbackNotice> callback(CallbackRequest request);

    /**
     * Whether this 5xx answer is one the provider documents as a refusal before anything was done (another
     * BillSwitch's BUSY: HTTP 503, nothing written), which the readers then read like any other answer. Every
     * other 5xx is UNKNOWN, unread.
     */
    default boolean readsServerError(HttpAnswer answer) {
        return false;
    }

    /**
     * The call listing the upstream's operators (or top-up products), for a catalog import; empty when this
     * provider lists none.
     */
    default Optional<HttpCall> operatorList(Instant now) {
        return Optional.empty();
    }

    /** The operators of that answer; throws when it cannot be read or is a refusal. */
    default List<UpstreamOperator> operatorListAnswer(HttpAnswer answer) {
        throw new IllegalStateException("this provider lists no operators");
    }

    /** The call for one listed operator's customer parameters (Eko's), or empty when the list says all there is. */
    default Optional<HttpCall> operatorParams(String code, Instant now) {
        return Optional.empty();
    }

    default List<UpstreamOperator.Param> operatorParamsAnswer(HttpAnswer answer) {
        throw new IllegalStateException("this provider lists no operator parameters");
    }

    /** The answer the upstream expects to a callback it delivered. */
    default HttpAnswer callbackAcknowledgement() {
        return HttpAnswer.of(200, "{\"status\":\"ok\"}");
    }

    /**
     * This provider's daily transaction report, its statuses read through the provider's one status map; empty when
     * the provider has none (reconciliation then pulls the day through {@link #status} enquiries).
     */
    default java.util.Optional<ReportFormat> report() {
        return java.util.Optional.empty();
    }

    /** Whether the provider has a complaint call (then the four complaint methods below are implemented). */
    default boolean takesComplaints() {
        return false;
    }

    /** Registering a partner's complaint about a payment we sent there. */
    default HttpCall complaint(UpstreamComplaint complaint, Instant now) {
        throw new UnsupportedOperationException("this provider has no complaint call");
    }

    /**
     * The answer to registering it: TAKEN, REFUSED (an answer saying no), UNREACHED (busy: retry). Throws when the
     * answer cannot be read (then UNREACHED).
     */
    default ComplaintReceipt complaintAnswer(UpstreamComplaint complaint, HttpAnswer answer) {
        throw new UnsupportedOperationException("this provider has no complaint call");
    }

    /** Reading a complaint the provider took, by its id. */
    default HttpCall complaintStatus(String upstreamComplaintId, Instant now) {
        throw new UnsupportedOperationException("this provider has no complaint call");
    }

    default ComplaintReceipt complaintStatusAnswer(String upstreamComplaintId, HttpAnswer answer) {
        throw new UnsupportedOperationException("this provider has no complaint call");
    }
}
