package billswitch.connector.spi;

/**
 * A partner's complaint forwarded to the upstream its payment went through: about the attempt sent there with
 * {@code reference} (the upstream keeps it as its transaction's reference: Idempotency-Key, client_ref_id), of
 * {@code type} (NOT_CREDITED, PAID_TWICE, WRONG_AMOUNT, WRONG_ACCOUNT) with its BBPS {@code disposition}, and the
 * partner's {@code description}. {@code complaintId} is ours, for the upstream's log only.
 */
public record UpstreamComplaint(long complaintId, String reference, String type, String disposition, String description) {
}
