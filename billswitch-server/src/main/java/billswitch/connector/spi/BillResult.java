package billswitch.connector.spi;

/**
 * The answer to a bill fetch: a bill on SUCCESS, else why not. {@code tryElsewhere}: the upstream cannot serve
 * this biller now (down, maintenance), so the next route may.
 */
public record BillResult(Outcome outcome, Bill bill, String upstreamCode, String message, boolean tryElsewhere) {

    public BillResult(Outcome outcome, Bill bill, String upstreamCode, String message) {
        this(outcome, bill, upstreamCode, message, false);
    }

    public static BillResult of(Outcome outcome, String upstreamCode, String message) {
        return new BillResult(outcome, null, upstreamCode, message, false);
    }
}
