package billswitch.reconciliation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The runs, lines and cases of reconciliations (V25). */
@Component
class ReconciliationStore {
    private final JdbcClient jdbc;

    ReconciliationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the run of this report for the connector and day; empty when that report has a run already. */
    Optional<Long> claim(String connector, LocalDate date, String source, String sha256, String content, String actor) {
        return jdbc.sql("""
                insert into reconciliation_runs (connector, business_date, source, sha256, content, started_by)
                values (:connector, :date, :source, :sha, :content, :actor)
                on conflict (connector, business_date, sha256) where abandoned_at is null do nothing
                returning id""")
                .param("connector", connector).param("date", date).param("source", source).param("sha", sha256)
                .param("content", content).param("actor", actor).query(Long.class).optional();
    }

    Optional<Long> find(String connector, LocalDate date, String sha256) {
        return jdbc.sql("""
                select id from reconciliation_runs
                where connector = :c and business_date = :d and sha256 = :s and abandoned_at is null""")
                .param("c", connector).param("d", date).param("s", sha256).query(Long.class).optional();
    }

    /** A run is still being worked: its heartbeat moves. */
    void heartbeat(long runId) {
        jdbc.sql("update reconciliation_runs set heartbeat_at = now() where id = :id").param("id", runId).update();
    }

    /**
     * Abandons run {@code runId} if it stopped before it finished and has shown no progress for {@code staleSeconds}
     * (its process died), closing its open cases with {@code note}, in one statement; false when it finished or is
     * still being worked.
     */
    boolean abandonIfStale(long runId, int staleSeconds, String note) {
        return jdbc.sql("""
                with run as (
                    update reconciliation_runs set abandoned_at = now()
                    where id = :id and finished_at is null and abandoned_at is null
                      and heartbeat_at < now() - make_interval(secs => :stale)
                    returning id),
                closed as (
                    update reconciliation_cases set status = 'CLOSED', closed_by = 'reconciliation', closed_at = now(),
                        note = :note
                    where run_id in (select id from run) and status = 'OPEN')
                select count(*) from run""")
                .param("id", runId).param("stale", staleSeconds).param("note", note).query(Long.class).single() == 1;
    }

    /** Records a line; returns its id. */
    long line(long runId, ReconciliationRun.Line l) {
        return jdbc.sql("""
                insert into reconciliation_lines (run_id, line_no, kind, action, order_id, attempt_id, reference,
                    upstream_id, upstream_amount, upstream_status, upstream_outcome, upstream_time,
                    our_amount_minor, our_status, settled_to, note)
                values (:run, :lineNo, :kind, :action, :order, :attempt, :reference, :upstreamId, :upstreamAmount, :upstreamStatus,
                    :upstreamOutcome, :upstreamTime, :ourAmount, :ourStatus, :settledTo, :note)
                returning id""")
                .param("run", runId).param("lineNo", l.lineNo()).param("kind", l.kind()).param("action", l.action())
                .param("order", l.orderId()).param("attempt", l.attemptId()).param("reference", l.reference())
                .param("upstreamId", l.upstreamId()).param("upstreamStatus", l.upstreamStatus())
                .param("upstreamOutcome", l.upstreamOutcome())
                .param("upstreamAmount", l.upstreamAmount()).param("upstreamTime", l.upstreamTime())
                .param("ourAmount", l.ourAmountMinor()).param("ourStatus", l.ourStatus()).param("settledTo", l.settledTo())
                .param("note", l.note()).query(Long.class).single();
    }

    void openCase(long runId, long lineId, String connector, LocalDate date, String kind, Long orderId, String ours,
                  String theirs) {
        jdbc.sql("""
                insert into reconciliation_cases (run_id, line_id, connector, business_date, kind, order_id, ours, theirs)
                values (:run, :line, :connector, :date, :kind, :order, :ours, :theirs)""")
                .param("run", runId).param("line", lineId).param("connector", connector).param("date", date)
                .param("kind", kind).param("order", orderId).param("ours", ours).param("theirs", theirs).update();
    }

    void finish(long runId, ReconciliationRun.Counts c) {
        jdbc.sql("""
                update reconciliation_runs set finished_at = now(), lines = :lines, matched = :matched,
                    amount_mismatch = :am, status_mismatch = :sm, missing_upstream = :mu, missing_here = :mh,
                    settled = :settled, cases = :cases
                where id = :id""")
                .param("id", runId).param("lines", c.lines()).param("matched", c.matched()).param("am", c.amountMismatch())
                .param("sm", c.statusMismatch()).param("mu", c.missingUpstream()).param("mh", c.missingHere())
                .param("settled", c.settled()).param("cases", c.cases()).update();
    }

    Optional<ReconciliationRun> run(long id, boolean repeated) {
        return jdbc.sql("select * from reconciliation_runs where id = :id").param("id", id)
                .query((rs, n) -> run(rs, repeated)).optional();
    }

    List<ReconciliationRun> runs(String connector, LocalDate date, int limit) {
        return jdbc.sql("""
                select * from reconciliation_runs
                where (cast(:connector as text) is null or connector = :connector)
                  and (cast(:date as date) is null or business_date = :date)
                order by id desc limit :limit""")
                .param("connector", connector).param("date", date).param("limit", limit)
                .query((rs, n) -> run(rs, false)).list();
    }

    List<ReconciliationRun.Line> lines(long runId) {
        return jdbc.sql("""
                select l.*, c.id as case_id from reconciliation_lines l
                left join reconciliation_cases c on c.line_id = l.id
                where l.run_id = :run order by l.id""").param("run", runId).query(this::line).list();
    }

    List<ReconciliationRun.Case> cases(Long runId, boolean openOnly, int limit) {
        return jdbc.sql("""
                select * from reconciliation_cases
                where (cast(:run as bigint) is null or run_id = :run) and (not :open or status = 'OPEN')
                order by id limit :limit""")
                .param("run", runId).param("open", openOnly).param("limit", limit).query(this::caseRow).list();
    }

    /** The open cases, oldest first, each with its line and the order's currency (when the line has an order). */
    List<ReconciliationRun.OpenCase> openCases(int limit) {
        return jdbc.sql("""
                select c.id as c_id, c.run_id, c.line_id, c.connector, c.business_date, c.kind, c.order_id as c_order,
                       c.ours, c.theirs, c.status as c_status, c.created_at, c.closed_by, c.closed_at, c.note as c_note,
                       l.id as l_id, l.line_no, l.action, l.order_id, l.attempt_id, l.reference, l.upstream_id,
                       l.upstream_amount, l.upstream_status, l.upstream_outcome, l.upstream_time, l.our_amount_minor,
                       l.our_status, l.settled_to, l.note, o.currency
                from reconciliation_cases c
                join reconciliation_lines l on l.id = c.line_id
                left join orders o on o.id = l.order_id
                where c.status = 'OPEN' order by c.id limit :limit""")
                .param("limit", limit).query((rs, n) -> new ReconciliationRun.OpenCase(
                        new ReconciliationRun.Case(rs.getLong("c_id"), rs.getLong("run_id"), rs.getLong("line_id"),
                                rs.getString("connector"), rs.getObject("business_date", LocalDate.class),
                                rs.getString("kind"), (Long) rs.getObject("c_order"), rs.getString("ours"),
                                rs.getString("theirs"), rs.getString("c_status"), instant(rs, "created_at"),
                                rs.getString("closed_by"), instant(rs, "closed_at"), rs.getString("c_note")),
                        new ReconciliationRun.Line(rs.getLong("l_id"), (Integer) rs.getObject("line_no"), rs.getString("kind"),
                                rs.getString("action"), (Long) rs.getObject("order_id"), (Long) rs.getObject("attempt_id"),
                                rs.getString("reference"), rs.getString("upstream_id"), rs.getString("upstream_amount"),
                                rs.getString("upstream_status"), rs.getString("upstream_outcome"),
                                rs.getString("upstream_time"), (Long) rs.getObject("our_amount_minor"),
                                rs.getString("our_status"), rs.getString("settled_to"), rs.getString("note"),
                                rs.getLong("c_id")),
                        rs.getString("currency"))).list();
    }

    Optional<ReconciliationRun.Case> reconciliationCase(long id) {
        return jdbc.sql("select * from reconciliation_cases where id = :id").param("id", id)
                .query(this::caseRow).optional();
    }

    /** Closes an open case; false when it was closed already (by someone else meanwhile). */
    boolean close(long id, String actor, String note) {
        return jdbc.sql("""
                update reconciliation_cases set status = 'CLOSED', closed_by = :actor, closed_at = now(), note = :note
                where id = :id and status = 'OPEN'""")
                .param("id", id).param("actor", actor).param("note", note).update() == 1;
    }

    private static ReconciliationRun run(ResultSet rs, boolean repeated) throws SQLException {
        return new ReconciliationRun(rs.getLong("id"), rs.getString("connector"),
                rs.getObject("business_date", LocalDate.class), rs.getString("source"), rs.getString("sha256"),
                rs.getString("started_by"), instant(rs, "created_at"), instant(rs, "finished_at"),
                new ReconciliationRun.Counts(rs.getInt("lines"), rs.getInt("matched"), rs.getInt("amount_mismatch"),
                        rs.getInt("status_mismatch"), rs.getInt("missing_upstream"), rs.getInt("missing_here"),
                        rs.getInt("settled"), rs.getInt("cases")), repeated);
    }

    private ReconciliationRun.Line line(ResultSet rs, int n) throws SQLException {
        return new ReconciliationRun.Line(rs.getLong("id"), (Integer) rs.getObject("line_no"), rs.getString("kind"),
                rs.getString("action"), (Long) rs.getObject("order_id"), (Long) rs.getObject("attempt_id"),
                rs.getString("reference"), rs.getString("upstream_id"), rs.getString("upstream_amount"), rs.getString("upstream_status"),
                rs.getString("upstream_outcome"), rs.getString("upstream_time"), (Long) rs.getObject("our_amount_minor"),
                rs.getString("our_status"), rs.getString("settled_to"), rs.getString("note"),
                (Long) rs.getObject("case_id"));
    }

    private ReconciliationRun.Case caseRow(ResultSet rs, int n) throws SQLException {
        return new ReconciliationRun.Case(rs.getLong("id"), rs.getLong("run_id"), rs.getLong("line_id"),
                rs.getString("connector"), rs.getObject("business_date", LocalDate.class), rs.getString("kind"),
                (Long) rs.getObject("order_id"), rs.getString("ours"), rs.getString("theirs"), rs.getString("status"),
                instant(rs, "created_at"), rs.getString("closed_by"), instant(rs, "closed_at"), rs.getString("note"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
