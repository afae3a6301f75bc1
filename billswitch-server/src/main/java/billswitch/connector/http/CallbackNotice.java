package billswitch.connector.http;

import billswitch.connector.spi.ConnectorResult;

/** What an authentic callback says: the attempt (by the reference we sent it with) and its outcome. */
public record CallbackNotice(String reference, ConnectorResult result) {
}
