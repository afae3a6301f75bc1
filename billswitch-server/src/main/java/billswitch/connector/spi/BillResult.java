package billswitch.connector.spi;

/** The answer to a bill fetch: a bill on SUCCESS, else why not. */
public record BillResult(Outcome outcome, Bill bill, String upstreamCode, String message) {
}
