package billswitch.connector.spi;

/**
 * What a connector learned from the upstream. UNKNOWN (timeout, 5xx, garbled answer) is never a
 * failure: the money stays held until a status enquiry settles it. NOT_SENT means the request provably
 * never left, so failing it is safe.
 */
public enum Outcome {
    SUCCESS, PENDING, FAILED, UNKNOWN, NOT_SENT
}
