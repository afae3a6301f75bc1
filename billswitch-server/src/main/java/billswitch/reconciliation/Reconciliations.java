package billswitch.reconciliation;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.connector.http.Protocol;
import billswitch.connector.http.ReportFormat;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.payment.OrderStatus;
import billswitch.payment.UpstreamRecords;
import billswitch.payment.UpstreamRecords.SentAttempt;
import billswitch.routing.Router;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles one connector's business day against the upstream's report: imported (the provider's documented format,
 * {@link ReportFormat}) or pulled (each of our attempts of the day asked through the janitor's status enquiry).
 * Each line is matched to our attempt by our reference (else the upstream's transaction id): MATCHED,
 * AMOUNT_MISMATCH, STATUS_MISMATCH, MISSING_HERE (the report's, not ours); our attempts it does not list are
 * MISSING_UPSTREAM. A line whose amount agrees and whose status proves an outcome (SUCCESS or FAILED) settles an
 * order still PENDING, UNKNOWN or NEEDS_REVIEW (money held) through the order state machine
 * ({@link UpstreamRecords#settle}), the run noted on the attempt and in the audit log; every other difference is a
 * case for a person. A report's SHA-256 makes a run per connector and day: the same report again answers that run.
 */
@Service
public class Reconciliations {
    /** The largest report read, as the catalog's import: 16 MiB. */
    public static final int MAX_REPORT_BYTES = 16 * 1024 * 1024;
    /** Status enquiries of a pulled report in flight at once. */
    private static final int PULL_CONCURRENCY = 8;

    private final UpstreamRecords records;
    private final Router router;
    private final ReconciliationStore store;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ZoneId zone;

    Reconciliations(UpstreamRecords records, Router router, ReconciliationStore store, AuditLog audit,
                    TransactionTemplate tx, Clock clock, @Value("${billswitch.books.zone:Asia/Kolkata}") String zone) {
        this.records = records;
        this.router = router;
        this.store = store;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.zone = ZoneId.of(zone);
    }

    /** The business days' zone (billswitch.books.zone). */
    public ZoneId zone() {
        return zone;
    }

    /**
     * A business day as given (YYYY-MM-DD), refused INVALID_REQUEST naming {@code field} when it is not one, in the
     * future or before the year 1.
     */
    public LocalDate day(String date, String field) {
        if (date == null || date.isBlank()) {
            throw refused(field, "is required (YYYY-MM-DD)");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date.trim());
        } catch (DateTimeParseException e) {
            throw refused(field, "'" + date + "' is not a date (YYYY-MM-DD)");
        }
        if (day.isAfter(LocalDate.now(clock.withZone(zone)))) {
            throw refused(field, day + " has not begun yet in " + zone);
        }
        if (day.getYear() < 1) {
            // LocalDate reads years back to -999999999; the database's timestamps (and the day's bounds) do not
            throw refused(field, day + " is before the year 1");
        }
        return day;
    }

    /**
     * Reconciles {@code connector}'s {@code date}: against {@code report} (the provider's format) or, when it is
     * null, against the answers to status enquiries of each of our attempts of that day. Bad input (an unknown
     * connector, a report that does not read, a connector without a report format given a file) is refused before
     * anything is recorded or moved.
     */
    public ReconciliationRun.Detail reconcile(String connector, LocalDate date, byte[] report, AdminIdentity actor,
                                             String request) {
        if (connector == null || connector.isBlank() || !router.knows(connector)) {
            throw new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "No connector '" + connector + "'.",
                    Map.of("connector", "no such connector"));
        }
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        boolean pulled = report == null;
        List<ReportLine> lines;
        String content;
        if (pulled) {
            List<SentAttempt> sent = records.attemptsSent(connector, from, to);
            lines = pull(sent);
            content = pulledContent(lines);
        } else {
            if (report.length > MAX_REPORT_BYTES) {
                throw new BillSwitchException(ErrorCode.BODY_TOO_LARGE, "A report may have up to 16 MiB.");
            }
            ReportFormat format = router.protocol(connector).flatMap(Protocol::report).orElseThrow(() ->
                    refused("report", "connector " + connector + " has no report format; run without a report to pull"
                            + " the day through its status enquiries"));
            lines = ReportReader.read(format, report);
            content = new String(report, StandardCharsets.UTF_8);
        }
        String sha = sha256(content);
        Optional<Long> earlier = store.find(connector, date, sha);
        if (earlier.isPresent() && !store.abandonIfStale(earlier.get(), STALE_SECONDS, "Run " + earlier.get()
                + " stopped before it finished; the same report was run again in full, whose cases replace these.")) {
            return detail(earlier.get(), true);
        }
        Optional<Long> claimed = store.claim(connector, date, pulled ? "PULL" : "FILE", sha, content, actor.name());
        if (claimed.isEmpty()) {
            return detail(store.find(connector, date, sha).orElseThrow(), true);
        }
        long runId = claimed.get();
        Match match = new Match(runId, connector, date, sha, actor, request);
        match.all(lines, records.attemptsSent(connector, from, to));
        store.finish(runId, match.counts());
        audit.change(actor, "reconciliation.run", request, "reconciliation:" + runId, () -> null,
                () -> store.run(runId, false).orElseThrow(), r -> Map.of("connector", connector, "date", date.toString(),
                        "source", pulled ? "PULL" : "FILE", "sha256", sha, "counts", r.counts()));
        return detail(runId, false);
    }

    /** A run with its lines and cases; NOT_FOUND when there is none. */
    public ReconciliationRun.Detail detail(long runId, boolean repeated) {
        ReconciliationRun run = store.run(runId, repeated).orElseThrow(() ->
                new BillSwitchException(ErrorCode.NOT_FOUND, "No reconciliation run " + runId + "."));
        return new ReconciliationRun.Detail(run, store.lines(runId), store.cases(runId, false, 100_000));
    }

    public List<ReconciliationRun> runs(String connector, LocalDate date, int limit) {
        return store.runs(connector, date, limit);
    }

    public List<ReconciliationRun.Case> openCases(int limit) {
        return store.cases(null, true, limit);
    }

    /** The open cases with their lines, oldest first, as the console shows them. */
    public List<ReconciliationRun.OpenCase> openCasesWithLines(int limit) {
        return store.openCases(limit);
    }

    public ReconciliationRun.Case reconciliationCase(long id) {
        return store.reconciliationCase(id).orElseThrow(() ->
                new BillSwitchException(ErrorCode.NOT_FOUND, "No reconciliation case " + id + "."));
    }

    /** A person closes an open case with a note (audited); a closed case is refused. */
    public ReconciliationRun.Case close(long caseId, String note, AdminIdentity actor, String request) {
        if (note == null || note.isBlank()) {
            throw refused("note", "is required: say what was found and done");
        }
        if (note.length() > 2000) {
            throw refused("note", "has more than 2000 characters");
        }
        ReconciliationRun.Case before = reconciliationCase(caseId);
        return audit.change(actor, "reconciliation.case.close", request, "reconciliation-case:" + caseId, () -> before,
                () -> {
                    if (!store.close(caseId, actor.name(), note.trim())) {
                        throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Case " + caseId + " is closed already.",
                                Map.of("case", "is closed already"));
                    }
                    return store.reconciliationCase(caseId).orElseThrow();
                }, c -> c);
    }

    /** The day pulled: each attempt asked through its connector, at most {@link #PULL_CONCURRENCY} at once. */
    private List<ReportLine> pull(List<SentAttempt> sent) {
        List<Future<ConnectorResult>> answers = new ArrayList<>();
        Semaphore slots = new Semaphore(PULL_CONCURRENCY);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SentAttempt a : sent) {
                answers.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return records.askUpstream(a);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<ReportLine> lines = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            ConnectorResult r;
            try {
                r = answers.get(i).get();
            } catch (Exception e) {
                r = ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer to the status enquiry");
            }
            lines.add(new ReportLine(i + 1, r.operatorRef(), sent.get(i).reference(), null, false, r.upstreamCode(), r, null));
        }
        return lines;
    }

    /** What a pulled report said, one line per enquiry, so the same answers make the same SHA-256. */
    private static String pulledContent(List<ReportLine> lines) {
        StringBuilder s = new StringBuilder("reference,upstream_id,status,outcome\n");
        for (ReportLine l : lines) {
            s.append(l.reference()).append(',').append(l.upstreamId() == null ? "" : l.upstreamId()).append(',')
                    .append(l.status() == null ? "" : l.status()).append(',').append(l.result().outcome()).append('\n');
        }
        return s.toString();
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BillSwitchException refused(String field, String problem) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(field, problem);
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " " + problem + ".", fields);
    }

    /** Where an order stands for the comparison: settled either way, or not yet. */
    private enum Side { SUCCESS, FAILED, UNSETTLED, CONTESTED }

    private static Side ours(SentAttempt a) {
        if (!a.latest()) {
            return a.attemptOutcome() == null ? Side.UNSETTLED : switch (a.attemptOutcome()) {
                case "SUCCESS" -> Side.SUCCESS;
                case "FAILED", "NOT_SENT" -> Side.FAILED;
                default -> Side.UNSETTLED;
            };
        }
        return side(a.orderStatus(), a.refundContested());
    }

    private static Side side(OrderStatus status, boolean contested) {
        return switch (status) {
            case SUCCESS -> Side.SUCCESS;
            case FAILED, REFUNDED -> Side.FAILED;
            case NEEDS_REVIEW -> contested ? Side.CONTESTED : Side.UNSETTLED;
            case INITIATED, PENDING, UNKNOWN -> Side.UNSETTLED;
        };
    }

    private static Side theirs(ConnectorResult r) {
        return switch (r.outcome()) {
            case SUCCESS -> Side.SUCCESS;
            case FAILED -> Side.FAILED;
            case PENDING, UNKNOWN, NOT_SENT -> Side.UNSETTLED;
        };
    }

    /** One run's matching: each line against our attempts, and what it does. */
    /**
     * How long a run that has not finished may show no progress before the same report, imported again, abandons it
     * and runs afresh: far longer than a line takes (its heartbeat moves every {@link #HEARTBEAT_LINES} lines).
     */
    static final int STALE_SECONDS = 300;
    private static final int HEARTBEAT_LINES = 50;

    private final class Match {
        private final long runId;
        private final String connector;
        private final LocalDate date;
        private final String sha;
        private final AdminIdentity actor;
        private final String request;
        private int lines;
        private int matched;
        private int amountMismatch;
        private int statusMismatch;
        private int missingUpstream;
        private int missingHere;
        private int settled;
        private int cases;

        Match(long runId, String connector, LocalDate date, String sha, AdminIdentity actor, String request) {
            this.runId = runId;
            this.connector = connector;
            this.date = date;
            this.sha = sha;
            this.actor = actor;
            this.request = request;
        }

        ReconciliationRun.Counts counts() {
            return new ReconciliationRun.Counts(lines, matched, amountMismatch, statusMismatch, missingUpstream,
                    missingHere, settled, cases);
        }

        void all(List<ReportLine> report, List<SentAttempt> ofTheDay) {
            Map<String, SentAttempt> byReference = new HashMap<>();
            Map<String, SentAttempt> byUpstreamId = new HashMap<>();
            for (SentAttempt a : ofTheDay) {
                byReference.put(a.reference(), a);
                if (a.upstreamRef() != null) {
                    byUpstreamId.putIfAbsent(a.upstreamRef(), a);
                }
            }
            Set<Long> seen = new HashSet<>();
            for (ReportLine line : report) {
                SentAttempt attempt = line.reference() == null ? null : byReference.get(line.reference());
                if (attempt == null && line.reference() != null) {
                    attempt = records.byReference(connector, line.reference()).orElse(null);
                }
                if (attempt == null && line.upstreamId() != null) {
                    attempt = byUpstreamId.get(line.upstreamId());
                }
                if (attempt == null) {
                    record(line, null, "MISSING_HERE", null, null, "no attempt of ours sent through " + connector
                            + " has this reference or transaction id");
                } else if (!seen.add(attempt.attemptId())) {
                    record(line, attempt, "STATUS_MISMATCH", null, null, "the report lists this attempt more than once");
                } else {
                    compare(line, attempt);
                }
            }
            for (SentAttempt a : ofTheDay) {
                if (!seen.contains(a.attemptId())) {
                    record(null, a, "MISSING_UPSTREAM", null, null, "the report does not list this attempt of ours");
                }
            }
        }

        private void compare(ReportLine line, SentAttempt attempt) {
            if (line.amount() != null) {
                BigDecimal minor = line.minorUnits() ? line.amount()
                        : line.amount().movePointRight(attempt.currency().minorDigits());
                if (minor.stripTrailingZeros().scale() > 0 || minor.compareTo(BigDecimal.valueOf(attempt.amountMinor())) != 0) {
                    record(line, attempt, "AMOUNT_MISMATCH", null, null, "the amounts differ; nothing was settled");
                    return;
                }
            }
            Side ours = ours(attempt);
            Side theirs = theirs(line.result());
            boolean proves = theirs == Side.SUCCESS || theirs == Side.FAILED;
            boolean settleable = attempt.latest() && (attempt.orderStatus() == OrderStatus.PENDING
                    || attempt.orderStatus() == OrderStatus.UNKNOWN
                    || attempt.orderStatus() == OrderStatus.NEEDS_REVIEW && !attempt.refundContested());
            if (proves && settleable) {
                String reason = "reconciliation run " + runId + ": " + connector + " report of " + date + " (sha256 "
                        + sha.substring(0, 12) + "), " + (line.amount() == null ? "status enquiry " : "line " + line.lineNo()
                        + ": ") + line.status();
                UpstreamRecords.Settled done = audit.change(actor, "reconciliation.settle", request,
                        "order:" + attempt.orderId(), () -> Map.of("status", attempt.orderStatus().name()),
                        () -> records.settle(attempt, line.result(), reason),
                        s -> Map.of("status", s.status().name(), "moved", s.moved(), "reason", reason));
                if (done.moved()) {
                    record(line, attempt, "MATCHED", "SETTLED", done.status().name(), reason);
                    return;
                }
                // Another path (the janitor, a callback, a reviewer) settled it meanwhile: compare with where it is now.
                ours = side(done.status(), false);
                if (ours == theirs) {
                    record(line, attempt, "MATCHED", null, null, "settled " + done.status() + " meanwhile by another path");
                    return;
                }
            } else if (ours == theirs) {
                record(line, attempt, "MATCHED", null, null, null);
                return;
            }
            record(line, attempt, "STATUS_MISMATCH", null, null, attempt.latest() ? null
                    : "this attempt failed over to another; the order stands on its later attempt");
        }

        private void record(ReportLine line, SentAttempt attempt, String kind, String action, String settledTo, String note) {
            boolean isCase = !"MATCHED".equals(kind);
            String act = action != null ? action : isCase ? "CASE" : "NONE";
            lines++;
            if (lines % HEARTBEAT_LINES == 0) {
                store.heartbeat(runId);
            }
            switch (kind) {
                case "MATCHED" -> matched++;
                case "AMOUNT_MISMATCH" -> amountMismatch++;
                case "STATUS_MISMATCH" -> statusMismatch++;
                case "MISSING_UPSTREAM" -> missingUpstream++;
                case "MISSING_HERE" -> missingHere++;
                default -> throw new IllegalStateException(kind);
            }
            if ("SETTLED".equals(act)) {
                settled++;
            }
            String ourStatus = attempt == null ? null : attempt.orderStatus()
                    + (attempt.refundContested() ? " (refund contested)" : "")
                    + (attempt.latest() ? "" : ", attempt " + (attempt.attemptOutcome() == null ? "unanswered" : attempt.attemptOutcome()));
            ReconciliationRun.Line row = new ReconciliationRun.Line(0, line == null ? null : line.lineNo(), kind, act,
                    attempt == null ? null : attempt.orderId(), attempt == null ? null : attempt.attemptId(),
                    line != null && line.reference() != null ? line.reference() : attempt == null ? null : attempt.reference(),
                    line == null ? null : line.upstreamId(),
                    line == null || line.amount() == null ? null : line.amount().toPlainString(),
                    line == null ? null : line.status(), line == null ? null : line.result().outcome().name(),
                    line == null ? null : line.time(), attempt == null ? null : attempt.amountMinor(), ourStatus,
                    settledTo, note, null);
            tx.executeWithoutResult(s -> {
                long lineId = store.line(runId, row);
                if (isCase) {
                    cases++;
                    store.openCase(runId, lineId, connector, date, kind, row.orderId(), oursSays(attempt),
                            theirsSay(line, note));
                }
            });
        }

        private String oursSays(SentAttempt a) {
            if (a == null) {
                return "no attempt of ours";
            }
            return "order " + a.orderId() + " of partner " + a.partnerId() + ": " + a.orderStatus()
                    + (a.refundContested() ? " (refund contested)" : "") + ", " + a.currency().format(a.amountMinor()) + " "
                    + a.currency() + "; attempt " + a.attemptId() + " sent as " + a.reference()
                    + (a.upstreamRef() == null ? "" : ", upstream ref " + a.upstreamRef())
                    + (a.latest() ? "" : ", failed over (" + (a.attemptOutcome() == null ? "unanswered" : a.attemptOutcome()) + ")");
        }

        private String theirsSay(ReportLine l, String note) {
            if (l == null) {
                return "not in the report" + (note == null ? "" : ": " + note);
            }
            return (l.amount() == null ? "status enquiry" : "line " + l.lineNo()) + ": transaction "
                    + (l.upstreamId() == null ? "(no id)" : l.upstreamId()) + ", reference "
                    + (l.reference() == null ? "(none)" : l.reference())
                    + (l.amount() == null ? "" : ", amount " + l.amount().toPlainString())
                    + ", status " + l.status() + " (" + l.result().outcome() + ")"
                    + (l.time() == null ? "" : ", at " + l.time()) + (note == null ? "" : "; " + note);
        }
    }
}
