package billswitch.connector.spi;

/**
 * A connector's answer to a payment or a status enquiry, already mapped to our outcomes. {@code tryElsewhere}
 * is set only on a FAILED answer whose code the provider's status map marks as safe to send to the next route
 * (the upstream is down for the operator, or its own float is short): the payment was certainly not made.
 */
public record ConnectorResult(Outcome outcome, String operatorRef, String upstreamCode, String message,
                              boolean tryElsewhere) {

    public ConnectorResult {
        if (tryElsewhere && outcome != Outcome.FAILED) {
            throw new IllegalArgumentException("only a FAILED answer can send a payment elsewhere, not " + outcome);
        }
    }

    public static ConnectorResult of(Outcome outcome, String operatorRef, String upstreamCode, String message) {
        return new ConnectorResult(outcome, operatorRef, upstreamCode, message, false);
    }

    /** A decline whose code says the payment was not made and another route may make it. */
    public static ConnectorResult failedTryElsewhere(String upstreamCode, String message) {
        return new ConnectorResult(Outcome.FAILED, null, upstreamCode, message, true);
    }

    /** Whether the payment may go to the next route: it provably never left, or the upstream said "not here". */
    public boolean mayFailOver() {
        return outcome == Outcome.NOT_SENT || tryElsewhere;
    }
}
