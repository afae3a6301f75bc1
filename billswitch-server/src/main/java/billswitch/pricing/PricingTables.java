package billswitch.pricing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes the pricing tables (V24__pricing_plans.sql): for the in-memory snapshot and the admin API. */
@Component
class PricingTables {
    private static final TypeReference<List<PricingRule>> RULES = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    PricingTables(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The change marker the pricing tables' triggers bump. */
    long version() {
        return jdbc.sql("select version from pricing_version").query(Long.class).single();
    }

    record PlanRow(String id, String name, Instant createdAt) {
    }

    List<PlanRow> plans() {
        return jdbc.sql("select id, name, created_at from pricing_plans order by id")
                .query((rs, n) -> new PlanRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
    }

    Optional<PlanRow> plan(String id) {
        return jdbc.sql("select id, name, created_at from pricing_plans where id = :id").param("id", id)
                .query((rs, n) -> new PlanRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).optional();
    }

    /** Locks the plan's row until the transaction ends: versions of one plan are added one at a time. */
    Optional<PlanRow> planForUpdate(String id) {
        return jdbc.sql("select id, name, created_at from pricing_plans where id = :id for update").param("id", id)
                .query((rs, n) -> new PlanRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).optional();
    }

    void insertPlan(String id, String name) {
        jdbc.sql("insert into pricing_plans (id, name) values (:id, :name)").param("id", id).param("name", name).update();
    }

    /** Every version, by plan and start. */
    List<PlanVersion> versions() {
        return jdbc.sql("select * from pricing_plan_versions order by plan_id, effective_from").query(this::versionRow).list();
    }

    List<PlanVersion> versions(String planId) {
        return jdbc.sql("select * from pricing_plan_versions where plan_id = :plan order by effective_from")
                .param("plan", planId).query(this::versionRow).list();
    }

    long insertVersion(String planId, Instant effectiveFrom, List<PricingRule> rules, String createdBy) {
        return jdbc.sql("""
                        insert into pricing_plan_versions (plan_id, effective_from, rules, created_by)
                        values (:plan, :from, :rules::jsonb, :by) returning id""")
                .param("plan", planId).param("from", effectiveFrom.atOffset(java.time.ZoneOffset.UTC))
                .param("rules", json.writeValueAsString(rules)).param("by", createdBy)
                .query(Long.class).single();
    }

    private PlanVersion versionRow(ResultSet rs, int row) throws SQLException {
        return new PlanVersion(rs.getLong("id"), rs.getString("plan_id"), rs.getTimestamp("effective_from").toInstant(),
                json.readValue(rs.getString("rules"), RULES), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"));
    }

    /** Partner id to plan id. */
    Map<String, String> assignments() {
        return jdbc.sql("select partner_id, plan_id from pricing_assignments")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<String> partnersOf(String planId) {
        return jdbc.sql("select partner_id from pricing_assignments where plan_id = :plan order by partner_id")
                .param("plan", planId).query(String.class).list();
    }

    Optional<String> assignment(String partnerId) {
        return jdbc.sql("select plan_id from pricing_assignments where partner_id = :p").param("p", partnerId)
                .query(String.class).optional();
    }

    void assign(String partnerId, String planId) {
        jdbc.sql("""
                        insert into pricing_assignments (partner_id, plan_id) values (:p, :plan)
                        on conflict (partner_id) do update set plan_id = excluded.plan_id, assigned_at = now()""")
                .param("p", partnerId).param("plan", planId).update();
    }

    boolean unassign(String partnerId) {
        return jdbc.sql("delete from pricing_assignments where partner_id = :p").param("p", partnerId).update() > 0;
    }

    Optional<String> defaultPlan() {
        return jdbc.sql("select plan_id from pricing_default where plan_id is not null").query(String.class).optional();
    }

    void setDefaultPlan(String planId) {
        jdbc.sql("update pricing_default set plan_id = :plan").param("plan", planId, Types.VARCHAR).update();
    }

    /** Every CCF slab, by operator, mode and lower edge. */
    List<OperatorSlab> ccfSlabs() {
        return jdbc.sql("""
                        select operator_id, payment_mode, from_minor, to_minor, flat_minor, bps from ccf_slabs
                        order by operator_id, payment_mode nulls first, from_minor""")
                .query((rs, n) -> new OperatorSlab(rs.getString(1), ccfSlab(rs))).list();
    }

    record OperatorSlab(String operatorId, CcfSlab slab) {
    }

    List<CcfSlab> ccfSlabs(String operatorId) {
        return jdbc.sql("""
                        select operator_id, payment_mode, from_minor, to_minor, flat_minor, bps from ccf_slabs
                        where operator_id = :op order by payment_mode nulls first, from_minor""")
                .param("op", operatorId).query((rs, n) -> ccfSlab(rs)).list();
    }

    void replaceCcfSlabs(String operatorId, List<CcfSlab> slabs) {
        jdbc.sql("delete from ccf_slabs where operator_id = :op").param("op", operatorId).update();
        for (CcfSlab s : slabs) {
            jdbc.sql("""
                            insert into ccf_slabs (operator_id, payment_mode, from_minor, to_minor, flat_minor, bps)
                            values (:op, :mode, :from, :to, :flat, :bps)""")
                    .param("op", operatorId).param("mode", s.paymentMode() == null ? null : s.paymentMode().name(), Types.VARCHAR)
                    .param("from", s.fromMinor()).param("to", s.toMinor(), Types.BIGINT).param("flat", s.flatMinor())
                    .param("bps", s.bps()).update();
        }
    }

    private static CcfSlab ccfSlab(ResultSet rs) throws SQLException {
        String mode = rs.getString(2);
        return new CcfSlab(mode == null ? null : PaymentMode.valueOf(mode), rs.getLong(3), (Long) rs.getObject(4),
                rs.getLong(5), rs.getInt(6));
    }
}
