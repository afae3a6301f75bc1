package billswitch.connector.spi;

/**
 * What an upstream said of a complaint forwarded to it, or of its status later. {@code state}: TAKEN, the upstream
 * has it ({@code upstreamComplaintId} its id, {@code upstreamStatus} its status word, when it said them); REFUSED, it
 * answered and will not take it (final: not sent again); UNREACHED, no answer could be read (down, timeout, busy, an
 * answer not understood: sent again later); NOT_SUPPORTED, the connector has no complaint call (kept here).
 * {@code message}: the upstream's own words, or why there are none.
 */
public record ComplaintReceipt(State state, String upstreamComplaintId, String upstreamStatus, String message) {

    public enum State {
        TAKEN, REFUSED, UNREACHED, NOT_SUPPORTED
    }

    public static ComplaintReceipt taken(String upstreamComplaintId, String upstreamStatus, String message) {
        return new ComplaintReceipt(State.TAKEN, upstreamComplaintId, upstreamStatus, message);
    }

    public static ComplaintReceipt refused(String message) {
        return new ComplaintReceipt(State.REFUSED, null, null, message);
    }

    public static ComplaintReceipt unreached(String message) {
        return new ComplaintReceipt(State.UNREACHED, null, null, message);
    }

    public static ComplaintReceipt notSupported(String message) {
        return new ComplaintReceipt(State.NOT_SUPPORTED, null, null, message);
    }
}
