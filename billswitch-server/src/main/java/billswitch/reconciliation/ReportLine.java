package billswitch.reconciliation;

import billswitch.connector.spi.ConnectorResult;
import java.math.BigDecimal;

/**
 * One transaction of an upstream's report: its place ({@code lineNo}: the CSV's line, the header being line 1, or
 * the JSON list's position from 1), the upstream's transaction id, our reference as sent, the amount as written
 * ({@code minorUnits}: already in minor units; null when the report gave none, as a pulled report), the status as
 * written, what it means through the provider's status map, and the time as written.
 */
record ReportLine(int lineNo, String upstreamId, String reference, BigDecimal amount, boolean minorUnits,
                  String status, ConnectorResult result, String time) {
}
