package billswitch.connector.http;

import billswitch.connector.spi.ConnectorResult;

/**
 * What an authentic callback says: the attempt (by the reference we sent it with) and its outcome.
 * {@code bodySigned}: the upstream's signature covers the whole notification, reference included, so its outcome
 * is applied as it stands. Otherwise (a signature over a timestamp or over some fields only, which could be replayed
 * under another reference) the notification only says that the attempt has news: its outcome is confirmed by a
 * status enquiry before anything changes.
 */
public record CallbackNotice(String reference, ConnectorResult result, boolean bodySigned) {

    /** A notification whose signature does not bind its reference: confirmed by a status enquiry. */
    public CallbackNotice(String reference, ConnectorResult result) {
        this(reference, result, false);
    }

    /** A notification whose signature covers every byte of it. */
    public static CallbackNotice signed(String reference, ConnectorResult result) {
        return new CallbackNotice(reference, result, true);
    }
}
