package billswitch.connector.spi;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * An upstream operator network: the sandbox, or an aggregator reached over HTTP. Every call is
 * asynchronous and never blocks its caller: the payment batch's worker sends payments, and thousands can
 * wait on a slow upstream holding no thread and no database connection. Implementations map every provider
 * status to an {@link Outcome} in one status map and never touch the database.
 * <p>
 * A future never fails: whatever goes wrong becomes an outcome (UNKNOWN when the request may have reached
 * the upstream, NOT_SENT when it provably did not), within the connector's stated deadline.
 */
public interface Connector {

    /** The name routes and attempts name this connector by. */
    String name();

    CompletableFuture<BillResult> fetchBill(BillQuery query);

    /** Sends one attempt of a payment. */
    CompletableFuture<ConnectorResult> pay(PaymentInstruction instruction);

    /** Asks the upstream what became of an earlier attempt, by the reference the attempt was sent with. */
    CompletableFuture<ConnectorResult> status(PaymentInstruction instruction);

    /** The longest any call of this connector takes to end in an answer or UNKNOWN. */
    default Duration deadline() {
        return Duration.ZERO;
    }

    /**
     * Forwards a partner's complaint about a payment this connector sent; NOT_SUPPORTED (the default) when the
     * upstream has no complaint call. Never fails: a network failure is UNREACHED.
     */
    default CompletableFuture<ComplaintReceipt> complain(UpstreamComplaint complaint) {
        return CompletableFuture.completedFuture(ComplaintReceipt.notSupported(name() + " has no complaint call"));
    }

    /** What the upstream says now of a complaint it took (by its id); NOT_SUPPORTED when it has no such call. */
    default CompletableFuture<ComplaintReceipt> complaintStatus(String upstreamComplaintId) {
        return CompletableFuture.completedFuture(ComplaintReceipt.notSupported(name() + " has no complaint call"));
    }

    /** Our float with the upstream in the operator currency's minor units, or empty when it does not say. */
    default CompletableFuture<OptionalLong> balance() {
        return CompletableFuture.completedFuture(OptionalLong.empty());
    }
}
