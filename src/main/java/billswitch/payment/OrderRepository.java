package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Bill;
import billswitch.shared.Currency;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Orders and attempts in PostgreSQL. */
@Repository
class OrderRepository {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String SELECT = """
            select o.*, h.wallet_opening_minor, h.wallet_closing_minor,
                   case when o.status in ('FAILED', 'REFUNDED') then o.finished_at end as refunded_at
            from orders o
            left join transfers h on h.order_id = o.id and h.kind = 'PENDING'
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    OrderRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** What idempotency needs to know of an earlier order with the same reference. */
    record Earlier(long id, String fingerprint, Integer answerStatus, String answerBody) {
    }

    Optional<Earlier> findEarlier(String partnerId, String reference, boolean fetch) {
        return jdbc.sql("select id, fingerprint, answer_status, answer_body from orders "
                        + "where partner_id = :partner and reference = :reference and (kind = 'BILL_FETCH') = :fetch")
                .param("partner", partnerId).param("reference", reference).param("fetch", fetch)
                .query((rs, n) -> new Earlier(rs.getLong(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4)))
                .optional();
    }

    /** Inserts a payment order; empty when the partner already used this reference. */
    Optional<Long> insertPayment(PayCommand c, Operator operator, long feeMinor, long commissionMinor,
                                 Long billFetchId, String fingerprint, Instant firstCheckAt) {
        return jdbc.sql("""
                insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number, params,
                    amount_minor, fee_minor, commission_minor, currency, status, fingerprint, bill_fetch_id, next_check_at)
                values (:partner, :reference, :kind, :dialect, :channel, :operator, :account, :params::jsonb,
                    :amount, :fee, :commission, :currency, 'INITIATED', :fingerprint, :fetch, :check)
                on conflict (partner_id, reference) where kind <> 'BILL_FETCH' do nothing
                returning id""")
                .param("partner", c.partnerId()).param("reference", c.reference()).param("kind", c.kind().name())
                .param("dialect", c.dialect()).param("channel", c.channel().name()).param("operator", operator.id())
                .param("account", c.accountNumber()).param("params", json.writeValueAsString(c.params()))
                .param("amount", c.amount().amountMinor()).param("fee", feeMinor).param("commission", commissionMinor)
                .param("currency", c.amount().currency().name()).param("fingerprint", fingerprint).param("fetch", billFetchId)
                .param("check", Timestamp.from(firstCheckAt))
                .query(Long.class).optional();
    }

    /** Inserts a finished bill fetch; empty when the partner already used this fetch reference. */
    Optional<Long> insertFetch(FetchCommand c, String reference, Operator operator, Bill bill, String fingerprint) {
        return jdbc.sql("""
                insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number, params,
                    amount_minor, currency, status, fingerprint, bill, finished_at)
                values (:partner, :reference, 'BILL_FETCH', :dialect, 'INSTANT', :operator, :account, :params::jsonb,
                    :amount, :currency, 'SUCCESS', :fingerprint, :bill::jsonb, now())
                on conflict (partner_id, reference) where kind = 'BILL_FETCH' do nothing
                returning id""")
                .param("partner", c.partnerId()).param("reference", reference).param("dialect", c.dialect())
                .param("operator", operator.id()).param("account", c.accountNumber())
                .param("params", json.writeValueAsString(c.params())).param("amount", bill.amountMinor())
                .param("currency", operator.currency().name()).param("fingerprint", fingerprint)
                .param("bill", json.writeValueAsString(bill))
                .query(Long.class).optional();
    }

    long insertAttempt(long orderId, String connector) {
        return jdbc.sql("insert into attempts (order_id, connector) values (:order, :connector) returning id")
                .param("order", orderId).param("connector", connector).query(Long.class).single();
    }

    void finishAttempt(long attemptId, String outcome, String upstreamRef, String upstreamCode, String message) {
        jdbc.sql("""
                update attempts set outcome = :outcome, upstream_ref = :ref, upstream_code = :code, message = :message,
                    finished_at = now() where id = :id""")
                .param("outcome", outcome).param("ref", upstreamRef).param("code", upstreamCode)
                .param("message", message).param("id", attemptId).update();
    }

    /**
     * Moves an order from one of the given states to another. False when another actor already moved it,
     * so a settlement can never be applied twice. nextCheckAt is when the janitor asks next (null: never).
     */
    Optional<Moved> transition(long orderId, Set<OrderStatus> from, OrderStatus to, String operatorRef, String failureCode,
                               String failureMessage, Instant nextCheckAt) {
        return jdbc.sql("""
                update orders set status = :status, operator_ref = coalesce(:ref, operator_ref),
                    failure_code = :code, failure_message = :message, updated_at = now(), next_check_at = :check,
                    finished_at = case when :final then now() else finished_at end
                where id = :id and status in (:from)
                returning currency, commission_minor""")
                .param("status", to.name()).param("ref", operatorRef).param("code", failureCode)
                .param("message", failureMessage).param("final", to.isFinal()).param("id", orderId)
                .param("check", nextCheckAt == null ? null : Timestamp.from(nextCheckAt))
                .param("from", from.stream().map(Enum::name).toList())
                .query((rs, n) -> new Moved(Currency.valueOf(rs.getString(1)), rs.getLong(2)))
                .optional();
    }

    /** What a successful transition tells the ledger step. */
    record Moved(Currency currency, long commissionMinor) {
    }

    /** An order the janitor claimed, with what it needs to re-ask the connector. */
    record Claim(long orderId, String partnerId, int checks, Instant createdAt) {
    }

    /**
     * Claims unsettled orders whose check is due, skipping rows another node holds, and leases them so
     * no other node takes them until the lease ends. Must run in a transaction.
     */
    List<Claim> claimDue(int batchSize, Instant leaseUntil) {
        List<Claim> claims = jdbc.sql("""
                select id, partner_id, check_count, created_at from orders
                where status in ('INITIATED', 'PENDING', 'UNKNOWN') and next_check_at <= now()
                order by next_check_at limit :batch
                for update skip locked""")
                .param("batch", batchSize)
                .query((rs, n) -> new Claim(rs.getLong(1), rs.getString(2), rs.getInt(3) + 1, instant(rs, "created_at")))
                .list();
        if (!claims.isEmpty()) {
            jdbc.sql("update orders set next_check_at = :lease, check_count = check_count + 1 where id in (:ids)")
                    .param("lease", Timestamp.from(leaseUntil)).param("ids", claims.stream().map(Claim::orderId).toList())
                    .update();
        }
        return claims;
    }

    /** The latest attempt of an order: its id and when it was sent. */
    record LastAttempt(long id, Instant startedAt) {
    }

    Optional<LastAttempt> lastAttempt(long orderId) {
        return jdbc.sql("select id, started_at from attempts where order_id = :order order by id desc limit 1")
                .param("order", orderId).query((rs, n) -> new LastAttempt(rs.getLong(1), instant(rs, "started_at")))
                .optional();
    }

    void recordReview(long orderId, String reason) {
        jdbc.sql("update orders set review_reason = :reason, reviewed_at = now() where id = :id")
                .param("reason", reason).param("id", orderId).update();
    }

    Optional<Order> findAnyPartner(long orderId) {
        return jdbc.sql(SELECT + " where o.id = :id").param("id", orderId).query(this::order).optional();
    }

    List<Order> needingReview(int limit) {
        return jdbc.sql(SELECT + " where o.status = 'NEEDS_REVIEW' order by o.id limit :limit")
                .param("limit", limit).query(this::order).list();
    }

    /** Stores the order's first answer and returns it; an answer already stored is kept and returned. */
    Answer storeAnswerIfAbsent(long orderId, Answer answer) {
        int stored = jdbc.sql("update orders set answer_status = :status, answer_body = :body where id = :id and answer_body is null")
                .param("status", answer.httpStatus()).param("body", answer.body()).param("id", orderId).update();
        if (stored == 1) {
            return answer;
        }
        return jdbc.sql("select answer_status, answer_body from orders where id = :id").param("id", orderId)
                .query((rs, n) -> new Answer(rs.getInt(1), rs.getString(2))).single();
    }

    Optional<Order> find(String partnerId, long orderId) {
        return jdbc.sql(SELECT + " where o.id = :id and o.partner_id = :partner")
                .param("id", orderId).param("partner", partnerId).query(this::order).optional();
    }

    Optional<Order> findByReference(String partnerId, String reference, boolean fetch) {
        return jdbc.sql(SELECT + " where o.partner_id = :partner and o.reference = :reference and (o.kind = 'BILL_FETCH') = :fetch")
                .param("partner", partnerId).param("reference", reference).param("fetch", fetch)
                .query(this::order).optional();
    }

    /** The partner's latest successful fetch for this biller and account since the given instant. */
    Optional<Order> latestFetch(String partnerId, String operatorId, String accountNumber, Instant since) {
        return jdbc.sql(SELECT + """
                 where o.partner_id = :partner and o.operator_id = :operator and o.account_number = :account
                   and o.kind = 'BILL_FETCH' and o.status = 'SUCCESS' and o.created_at >= :since
                 order by o.id desc limit 1""")
                .param("partner", partnerId).param("operator", operatorId).param("account", accountNumber)
                .param("since", Timestamp.from(since)).query(this::order).optional();
    }

    private Order order(ResultSet rs, int row) throws SQLException {
        String bill = rs.getString("bill");
        return new Order(rs.getLong("id"), rs.getString("partner_id"), rs.getString("reference"),
                OrderKind.valueOf(rs.getString("kind")), rs.getString("dialect"),
                Operator.Channel.valueOf(rs.getString("channel")), rs.getString("operator_id"),
                rs.getString("account_number"), json.readValue(rs.getString("params"), STRING_MAP),
                rs.getLong("amount_minor"), rs.getLong("fee_minor"), rs.getLong("commission_minor"),
                Currency.valueOf(rs.getString("currency")), OrderStatus.valueOf(rs.getString("status")),
                (Long) rs.getObject("bill_fetch_id"), bill == null ? null : json.readValue(bill, Bill.class),
                rs.getString("operator_ref"), rs.getString("failure_code"), rs.getString("failure_message"),
                (Long) rs.getObject("wallet_opening_minor"), (Long) rs.getObject("wallet_closing_minor"),
                instant(rs, "refunded_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
