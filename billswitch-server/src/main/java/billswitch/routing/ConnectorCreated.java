package billswitch.routing;

/**
 * Published (as a Spring application event) in the transaction that creates a connector: what keeps accounts per
 * connector (the ledger's UPSTREAM accounts) opens them there, without routing knowing who listens.
 */
public record ConnectorCreated(String name) {
}
