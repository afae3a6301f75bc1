package billswitch.admin;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only log of admin actions (table admin_audit: a trigger refuses UPDATE, DELETE and TRUNCATE).
 * {@link #change} runs a change and writes its entry in one transaction: the services it calls join it, so a
 * change is never without its entry, nor an entry without its change.
 */
@Service
public class AuditLog {
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    AuditLog(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /**
     * Reads {@code before}, makes the change, and records who did it, what ({@code action}, a name, and
     * {@code request}, method and path), on what, and the target before and after (as JSON), all in one
     * transaction. A change that throws records nothing.
     */
    public <T> T change(AdminIdentity actor, String action, String request, String target, Supplier<?> before,
                        Supplier<T> change, Function<? super T, ?> after) {
        return change(actor, action, request, result -> target, before, change, after);
    }

    /** As above, for a target known once the change is made (a partner whose id is generated). */
    public <T> T change(AdminIdentity actor, String action, String request, Function<? super T, String> target,
                        Supplier<?> before, Supplier<T> change, Function<? super T, ?> after) {
        return tx.execute(s -> {
            Object was = before.get();
            T result = change.get();
            append(actor, action, request, target.apply(result), was, after.apply(result));
            return result;
        });
    }

    /**
     * A partner's own change through the native API (rotating its secret, setting its callback URL), recorded in the
     * same transaction as the change, with the actor "partner:{id}", role PARTNER, and the partner as the target.
     */
    public <T> T partnerChange(String partnerId, String action, String request, Supplier<?> before, Supplier<T> change,
                               Function<? super T, ?> after) {
        return tx.execute(s -> {
            Object was = before.get();
            T result = change.get();
            append("partner:" + partnerId, PARTNER_ROLE, action, request, "partner:" + partnerId, was, after.apply(result));
            return result;
        });
    }

    /** The actor_role of entries the server itself wrote ({@link #system}), e.g. a complaint escalated at its deadline. */
    public static final String SYSTEM_ROLE = "SYSTEM";

    /** An entry for a change the server made on its own (actor "system"), in the caller's transaction. */
    public void system(String action, String request, String target, Object before, Object after) {
        append("system", SYSTEM_ROLE, action, request, target, before, after);
    }

    /** An entry for a partner's own change (actor "partner:{id}") made by the caller, in the caller's transaction. */
    public void partner(String partnerId, String action, String request, String target, Object before, Object after) {
        append("partner:" + partnerId, PARTNER_ROLE, action, request, target, before, after);
    }

    /** An entry for an identity's change made by the caller, in the caller's transaction. */
    public void admin(AdminIdentity actor, String action, String request, String target, Object before, Object after) {
        append(actor, action, request, target, before, after);
    }

    /** The actor_role of entries a partner's own change wrote ({@link #partnerChange}). */
    public static final String PARTNER_ROLE = "PARTNER";

    /** Writes an entry in the caller's transaction (or its own when there is none). */
    void append(AdminIdentity actor, String action, String request, String target, Object before, Object after) {
        append(actor.name(), actor.role().name(), action, request, target, before, after);
    }

    private void append(String actor, String role, String action, String request, String target, Object before,
                        Object after) {
        jdbc.sql("""
                insert into admin_audit (actor, actor_role, action, request, target, before, after)
                values (:actor, :role, :action, :request, :target, :before::jsonb, :after::jsonb)""")
                .param("actor", actor).param("role", role).param("action", action)
                .param("request", request).param("target", target)
                .param("before", before == null ? null : json.writeValueAsString(before), java.sql.Types.VARCHAR)
                .param("after", after == null ? null : json.writeValueAsString(after), java.sql.Types.VARCHAR)
                .update();
    }

    public record Entry(String id, Instant at, String actor, String actorRole, String action, String request,
                        String target, JsonNode before, JsonNode after) {
    }

    /** Filters, each optional; entries come newest first, {@code limit} at a time, older than {@code beforeId}. */
    public record Query(String actor, String target, String action, Instant from, Instant to, Long beforeId, int limit) {
    }

    public List<Entry> list(Query q) {
        if (q.from() != null && q.to() != null && q.from().isAfter(q.to())) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "from must not be after to.");
        }
        return jdbc.sql("""
                select id, at, actor, actor_role, action, request, target, before::text, after::text from admin_audit
                where (cast(:actor as text) is null or actor = :actor)
                  and (cast(:target as text) is null or target = :target)
                  and (cast(:action as text) is null or action = :action)
                  and (cast(:from as timestamptz) is null or at >= :from)
                  and (cast(:to as timestamptz) is null or at < :to)
                  and (cast(:beforeId as bigint) is null or id < :beforeId)
                order by id desc limit :limit""")
                .param("actor", q.actor(), java.sql.Types.VARCHAR)
                .param("target", q.target(), java.sql.Types.VARCHAR)
                .param("action", q.action(), java.sql.Types.VARCHAR)
                .param("from", q.from() == null ? null : q.from().atOffset(java.time.ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", q.to() == null ? null : q.to().atOffset(java.time.ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("beforeId", q.beforeId(), java.sql.Types.BIGINT)
                .param("limit", q.limit())
                .query(this::entry).list();
    }

    private Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(Long.toString(rs.getLong(1)), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), tree(rs.getString(8)), tree(rs.getString(9)));
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
