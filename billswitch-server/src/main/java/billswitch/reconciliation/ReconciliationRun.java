package billswitch.reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One reconciliation of a connector's day: the report it read (FILE: imported; PULL: built from status enquiries),
 * its SHA-256, who ran it, and its counts; {@code repeated}: this report was imported before and this is that run.
 */
public record ReconciliationRun(long id, String connector, LocalDate date, String source, String sha256,
                                String startedBy, Instant createdAt, Instant finishedAt, Counts counts,
                                boolean repeated) {

    /** How many lines of each kind, how many orders the report settled, and how many cases it opened. */
    public record Counts(int lines, int matched, int amountMismatch, int statusMismatch, int missingUpstream,
                         int missingHere, int settled, int cases) {
    }

    /** A line of the run: what the report says, what we say, what the match found and what was done. */
    public record Line(long id, Integer lineNo, String kind, String action, Long orderId, Long attemptId,
                       String reference, String upstreamId, String upstreamAmount, String upstreamStatus,
                       String upstreamOutcome, String upstreamTime, Long ourAmountMinor, String ourStatus,
                       String settledTo, String note, Long caseId) {
    }

    /** A difference left for a person: what each side says; OPEN until a person closes it with a note. */
    public record Case(long id, long runId, long lineId, String connector, LocalDate date, String kind, Long orderId,
                       String ours, String theirs, String status, Instant createdAt, String closedBy,
                       Instant closedAt, String note) {
    }

    /** An open case with its line: what each side says, field by field; {@code currency}: the order's, when it has one. */
    public record OpenCase(Case reconciliationCase, Line line, String currency) {
    }

    /** A run with its lines and cases. */
    public record Detail(ReconciliationRun run, List<Line> lines, List<Case> cases) {
    }
}
