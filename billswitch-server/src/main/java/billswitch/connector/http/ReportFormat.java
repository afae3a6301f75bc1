package billswitch.connector.http;

import billswitch.connector.spi.ConnectorResult;
import java.util.function.BiFunction;

/**
 * How one provider's daily transaction report reads, in the provider's own vocabulary (README "Reconciliation and
 * settlement statements"): a CSV with a header row, or a JSON object whose {@code listField} holds one object per
 * transaction; the names of the fields holding the upstream's transaction id, our reference as sent to it (the
 * attempt's), the amount, the status and the time. A status is read through the provider's one status map
 * ({@code status}: the status as written and the upstream's id, to the result a status enquiry would give), and
 * throws IllegalArgumentException when it is not a status the provider writes.
 */
public record ReportFormat(Syntax syntax, String listField, String upstreamId, String reference, String amount,
                           AmountUnit unit, String status, String time,
                           BiFunction<String, String, ConnectorResult> reader) {

    /** CSV (RFC 4180, a header row naming the fields, in any order) or JSON. */
    public enum Syntax { CSV, JSON }

    /** Amounts in the currency's major unit with decimals ("100.00") or in minor units (10000). */
    public enum AmountUnit { MAJOR, MINOR }

    /** The result a line's status means; throws IllegalArgumentException when it is not one of the provider's. */
    public ConnectorResult read(String statusAsWritten, String upstreamTransactionId) {
        if (statusAsWritten == null || statusAsWritten.isBlank()) {
            throw new IllegalArgumentException(status + " is empty");
        }
        return reader.apply(statusAsWritten.trim(), upstreamTransactionId);
    }

    /** The fields of a line, in the order the README documents them. */
    public java.util.List<String> fields() {
        return java.util.List.of(upstreamId, reference, amount, status, time);
    }
}
