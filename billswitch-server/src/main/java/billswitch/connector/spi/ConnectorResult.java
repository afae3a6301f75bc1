package billswitch.connector.spi;

/** A connector's answer to a payment or a status enquiry, already mapped to our outcomes. */
public record ConnectorResult(Outcome outcome, String operatorRef, String upstreamCode, String message) {

    public static ConnectorResult of(Outcome outcome, String operatorRef, String upstreamCode, String message) {
        return new ConnectorResult(outcome, operatorRef, upstreamCode, message);
    }
}
