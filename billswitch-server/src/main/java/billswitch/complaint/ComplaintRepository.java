package billswitch.complaint;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The complaints and complaint_history tables (V26). */
@Repository
class ComplaintRepository {
    private static final String SELECT = """
            select c.id, c.partner_id, c.order_id, o.reference, c.type, c.description, c.channel, c.status, c.due_at,
                   c.assigned_to, c.resolution, c.refund_minor, c.upstream_connector, c.upstream_complaint_id,
                   c.upstream_note, c.created_at, c.updated_at, c.upstream_status, c.forward_state
            from complaints c join orders o on o.id = c.order_id""";

    private final JdbcClient jdbc;

    ComplaintRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new complaint; empty when the order already has an open one of the type. */
    Optional<Long> insert(String partnerId, long orderId, ComplaintType type, String description, String channel,
                          Instant at, Instant dueAt) {
        return jdbc.sql("""
                insert into complaints (partner_id, order_id, type, disposition, description, channel, status, due_at,
                    created_at, updated_at)
                values (:partner, :order, :type, :disposition, :description, :channel, 'INITIALIZED', :due, :at, :at)
                on conflict (order_id, type) where status in ('INITIALIZED', 'ASSIGNED', 'ESCALATED') do nothing
                returning id""")
                .param("partner", partnerId).param("order", orderId).param("type", type.name())
                .param("disposition", type.disposition()).param("description", description).param("channel", channel)
                .param("due", Timestamp.from(dueAt)).param("at", Timestamp.from(at))
                .query(Long.class).optional();
    }

    /** The open complaint of the type on the order, if any. */
    Optional<Long> openOf(long orderId, ComplaintType type) {
        return jdbc.sql("""
                select id from complaints where order_id = :order and type = :type
                and status in ('INITIALIZED', 'ASSIGNED', 'ESCALATED')""")
                .param("order", orderId).param("type", type.name()).query(Long.class).optional();
    }

    Optional<Complaint> find(long id) {
        return jdbc.sql(SELECT + " where c.id = :id").param("id", id).query(this::complaint).optional();
    }

    /** The complaint, its row locked for a change in the caller's transaction. */
    Optional<Complaint> lock(long id) {
        return jdbc.sql(SELECT + " where c.id = :id for update of c").param("id", id).query(this::complaint).optional();
    }

    /**
     * Newest first; {@code status} null: all; {@code partnerId} null: every partner's; {@code overdueAt} not null:
     * only the open ones whose deadline is at or before it.
     */
    List<Complaint> list(String partnerId, ComplaintStatus status, Instant overdueAt, int limit) {
        return jdbc.sql(SELECT + "\n" + """
                 where (cast(:partner as text) is null or c.partner_id = :partner)
                   and (cast(:status as text) is null or c.status = :status)
                   and (cast(:overdue as timestamptz) is null
                        or (c.status in ('INITIALIZED', 'ASSIGNED', 'ESCALATED') and c.due_at <= :overdue))
                 order by c.id desc limit :limit""")
                .param("partner", partnerId, java.sql.Types.VARCHAR)
                .param("status", status == null ? null : status.name(), java.sql.Types.VARCHAR)
                .param("overdue", overdueAt == null ? null : Timestamp.from(overdueAt), java.sql.Types.TIMESTAMP)
                .param("limit", limit).query(this::complaint).list();
    }

    /** The order's complaints, oldest first. */
    List<Complaint> ofOrder(long orderId) {
        return jdbc.sql(SELECT + " where c.order_id = :order order by c.id").param("order", orderId)
                .query(this::complaint).list();
    }

    /** Open complaints not escalated yet whose deadline is at or before {@code now}, locked (SKIP LOCKED). */
    List<Long> lockOverdue(Instant now, int limit) {
        return jdbc.sql("""
                select id from complaints where status in ('INITIALIZED', 'ASSIGNED') and due_at <= :now
                order by due_at limit :limit for update skip locked""")
                .param("now", Timestamp.from(now)).param("limit", limit).query(Long.class).list();
    }

    void move(long id, ComplaintStatus to, String assignedTo, String resolution, Long refundMinor, Instant at) {
        jdbc.sql("""
                update complaints set status = :to, assigned_to = coalesce(:assigned, assigned_to),
                    resolution = coalesce(:resolution, resolution), refund_minor = coalesce(:refund, refund_minor),
                    updated_at = :at
                where id = :id""")
                .param("to", to.name()).param("assigned", assignedTo, java.sql.Types.VARCHAR)
                .param("resolution", resolution, java.sql.Types.VARCHAR)
                .param("refund", refundMinor, java.sql.Types.BIGINT).param("at", Timestamp.from(at)).param("id", id)
                .update();
    }

    /**
     * Claims up to {@code limit} complaints whose forwarding (PENDING) or upstream read (OPEN_UPSTREAM) is due at
     * {@code now}, leasing them until {@code leaseUntil} so no other pass or node takes them meanwhile.
     */
    List<Long> claimForwarding(Instant now, Instant leaseUntil, int limit) {
        List<Long> ids = jdbc.sql("""
                select id from complaints where forward_state in ('PENDING', 'OPEN_UPSTREAM') and forward_next_at <= :now
                order by forward_next_at limit :limit for update skip locked""")
                .param("now", Timestamp.from(now)).param("limit", limit).query(Long.class).list();
        if (!ids.isEmpty()) {
            jdbc.sql("update complaints set forward_next_at = :lease where id = any(:ids)")
                    .param("lease", Timestamp.from(leaseUntil))
                    .param("ids", billswitch.infra.db.SqlArrays.bigint(ids.toArray())).update();
        }
        return ids;
    }

    /**
     * Where forwarding stands: {@code state}, the tries so far, when to look again, and the upstream's side (a null
     * connector, id or status keeps the one stored).
     */
    void forwarded(long id, String state, int attempts, Instant nextAt, String connector, String upstreamId,
                   String upstreamStatus, String note, Instant at, boolean touch) {
        jdbc.sql("""
                update complaints set forward_state = :state, forward_attempts = :attempts, forward_next_at = :next,
                    upstream_connector = coalesce(:connector, upstream_connector),
                    upstream_complaint_id = coalesce(:upstream, upstream_complaint_id),
                    upstream_status = coalesce(:status, upstream_status), upstream_note = :note,
                    updated_at = case when :touch then :at else updated_at end
                where id = :id""")
                .param("state", state).param("attempts", attempts).param("next", Timestamp.from(nextAt))
                .param("connector", connector, java.sql.Types.VARCHAR).param("upstream", upstreamId, java.sql.Types.VARCHAR)
                .param("status", upstreamStatus, java.sql.Types.VARCHAR).param("note", note, java.sql.Types.VARCHAR)
                .param("touch", touch).param("at", Timestamp.from(at)).param("id", id).update();
    }

    /** How many times forwarding was tried. */
    int forwardAttempts(long id) {
        return jdbc.sql("select forward_attempts from complaints where id = :id").param("id", id).query(Integer.class).single();
    }

    void recordChange(long id, String actor, ComplaintStatus from, ComplaintStatus to, String note) {
        jdbc.sql("""
                insert into complaint_history (complaint_id, actor, from_status, to_status, note)
                values (:id, :actor, :from, :to, :note)""")
                .param("id", id).param("actor", actor).param("from", from == null ? null : from.name(), java.sql.Types.VARCHAR)
                .param("to", to.name()).param("note", note, java.sql.Types.VARCHAR).update();
    }

    List<Complaint.Change> history(long id) {
        return jdbc.sql("""
                select at, actor, from_status, to_status, note from complaint_history
                where complaint_id = :id order by id""")
                .param("id", id)
                .query((rs, n) -> new Complaint.Change(instant(rs, 1), rs.getString(2),
                        rs.getString(3) == null ? null : ComplaintStatus.valueOf(rs.getString(3)),
                        ComplaintStatus.valueOf(rs.getString(4)), rs.getString(5)))
                .list();
    }

    private Complaint complaint(ResultSet rs, int row) throws SQLException {
        return new Complaint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                ComplaintType.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                ComplaintStatus.valueOf(rs.getString(8)), instant(rs, 9), rs.getString(10), rs.getString(11),
                (Long) rs.getObject(12), rs.getString(13), rs.getString(14), rs.getString(15), instant(rs, 16),
                instant(rs, 17), rs.getString(18), rs.getString(19));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
