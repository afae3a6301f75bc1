package billswitch.payment;

import static billswitch.infra.db.SqlArrays.bigint;
import static billswitch.infra.db.SqlArrays.bool;
import static billswitch.infra.db.SqlArrays.epochMicros;
import static billswitch.infra.db.SqlArrays.integer;
import static billswitch.infra.db.SqlArrays.text;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Bill;
import billswitch.ledger.Ledger;
import billswitch.pricing.Price;
import billswitch.shared.Currency;
import billswitch.infra.db.Pipeline;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Orders and attempts in PostgreSQL. */
@Repository
class OrderRepository {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String SELECT = select("orders");

    /**
     * An order as the code reads it: its row, the wallet balance around its hold, when it was refunded (its hold
     * voided: FAILED, REFUNDED, or in review after a SUCCESS contested the refund, V10).
     */
    private static String select(String source) {
        return """
            select o.*, h.wallet_opening_minor, h.wallet_closing_minor,
                   case when o.status in ('FAILED', 'REFUNDED')
                       or (o.status = 'NEEDS_REVIEW' and o.contested_refund is not null) then o.finished_at end as refunded_at
            from %s o
            left join lateral (
                select wallet_opening_minor, wallet_closing_minor from transfers
                where order_id = o.id and kind = 'PENDING'
            ) h on true
            """.formatted(source);
    }

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
                        + "where partner_id = :partner and reference = :reference and " + kindIs(fetch))
                .param("partner", partnerId).param("reference", reference)
                .query((rs, n) -> new Earlier(rs.getLong(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4)))
                .optional();
    }

    /**
     * A payment order to insert, with the price and bill fetch decided before, and the route its first attempt goes
     * through: its connector, the operator's code there, and that upstream's terms.
     */
    record NewPayment(PayCommand command, String operatorId, Price price, Long billFetchId,
                      String fingerprint, Instant firstCheckAt, UpstreamTerms terms, String operatorCode) {
        String connector() {
            return terms.connector();
        }
    }

    /** A payment order just inserted: its id, creation time and first attempt. */
    record Inserted(long id, Instant createdAt, long attemptId) {
    }

    /**
     * Inserts payment orders and their first attempts in one statement, in order, sent with the pipeline.
     * Once it has run, {@link Insertion#inserted} gives each one's id, creation time and attempt, or null
     * where the partner already used the reference (before, or earlier in the same list).
     */
    Insertion insertPayments(Pipeline pipeline, List<NewPayment> payments) {
        int n = payments.size();
        Object[][] cols = new Object[24][n];
        for (int i = 0; i < n; i++) {
            NewPayment p = payments.get(i);
            PayCommand c = p.command();
            Object[] row = {c.partnerId(), c.reference(), c.kind().name(), c.dialect(), c.channel().name(), p.operatorId(),
                    c.accountNumber(), json.writeValueAsString(c.params()), c.amount().amountMinor(), p.price().feeMinor(),
                    p.price().commissionMinor(), c.amount().currency().name(), p.fingerprint(), p.billFetchId(),
                    p.firstCheckAt(), p.connector(), c.productCode(), p.operatorCode(), p.price().ccfMinor(),
                    p.price().gstMinor(), p.price().tdsMinor(), p.price().planVersionId(), p.terms().feeMinor(),
                    p.terms().commissionMinor()};
            for (int k = 0; k < row.length; k++) {
                cols[k][i] = row[k];
            }
        }
        // The attempt goes to the connector of the first payment in the list with the order's reference: the
        // one inserted (a later one with the same reference conflicts).
        Pipeline.Rows<Map.Entry<String, Inserted>> rows = pipeline.add("""
                with inserted as (
                    insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number,
                        params, amount_minor, fee_minor, commission_minor, currency, status, fingerprint, bill_fetch_id,
                        next_check_at, product_code, ccf_minor, gst_minor, tds_minor, plan_version_id)
                    select partner, reference, kind, dialect, channel, operator, account, params::jsonb,
                        amount, fee, commission, currency, 'INITIATED', fingerprint, fetch_id,
                        timestamptz 'epoch' + next_check * interval '1 microsecond', product, ccf, gst, tds, plan
                    from unnest(:partner, :reference, :kind, :dialect, :channel, :operator, :account, :params,
                        :amount, :fee, :commission, :currency, :fingerprint, :fetch, :check, :product, :ccf, :gst, :tds,
                        :plan) with ordinality
                        as v(partner, reference, kind, dialect, channel, operator, account, params, amount, fee,
                             commission, currency, fingerprint, fetch_id, next_check, product, ccf, gst, tds, plan, n)
                    order by n
                    on conflict (partner_id, reference) where kind <> 'BILL_FETCH' do nothing
                    returning id, partner_id, reference, created_at
                ), started as (
                    insert into attempts (order_id, connector, operator_code, upstream_fee_minor, upstream_commission_minor)
                    select i.id, c.connector, c.code, c.upstream_fee, c.upstream_commission from inserted i
                    join lateral (select v.connector, v.code, v.upstream_fee, v.upstream_commission
                            from unnest(:partner, :reference, :connector, :code, :upstreamFee, :upstreamCommission)
                            with ordinality as v(partner, reference, connector, code, upstream_fee, upstream_commission, n)
                        where v.partner = i.partner_id and v.reference = i.reference order by v.n limit 1) c on true
                    returning id, order_id
                )
                select i.id, i.partner_id, i.reference, i.created_at, s.id as attempt_id
                from inserted i join started s on s.order_id = i.id""", new MapSqlParameterSource()
                .addValue("partner", text(cols[0])).addValue("reference", text(cols[1])).addValue("kind", text(cols[2]))
                .addValue("dialect", text(cols[3])).addValue("channel", text(cols[4])).addValue("operator", text(cols[5]))
                .addValue("account", text(cols[6])).addValue("params", text(cols[7])).addValue("amount", bigint(cols[8]))
                .addValue("fee", bigint(cols[9])).addValue("commission", bigint(cols[10]))
                .addValue("currency", text(cols[11])).addValue("fingerprint", text(cols[12]))
                .addValue("fetch", bigint(cols[13])).addValue("check", epochMicros(cols[14]))
                .addValue("connector", text(cols[15])).addValue("product", text(cols[16]))
                .addValue("code", text(cols[17])).addValue("ccf", bigint(cols[18])).addValue("gst", bigint(cols[19]))
                .addValue("tds", bigint(cols[20])).addValue("plan", bigint(cols[21]))
                .addValue("upstreamFee", bigint(cols[22])).addValue("upstreamCommission", bigint(cols[23])),
                (rs, k) -> Map.entry(rs.getString(2) + "\n" + rs.getString(3),
                        new Inserted(rs.getLong(1), instant(rs, "created_at"), rs.getLong("attempt_id"))));
        return new Insertion(payments, rows);
    }

    /** Payment orders being inserted by a pipeline. */
    static final class Insertion {
        private final List<NewPayment> payments;
        private final Pipeline.Rows<Map.Entry<String, Inserted>> rows;

        private Insertion(List<NewPayment> payments, Pipeline.Rows<Map.Entry<String, Inserted>> rows) {
            this.payments = payments;
            this.rows = rows;
        }

        /** Once the pipeline has run: each payment's order, in order; null where not inserted. */
        List<Inserted> inserted() {
            Map<String, Inserted> byReference = new HashMap<>();
            rows.list().forEach(e -> byReference.put(e.getKey(), e.getValue()));
            List<Inserted> ids = new ArrayList<>(payments.size());
            for (NewPayment p : payments) {
                // remove: a second use of the reference in the same list was not inserted.
                ids.add(byReference.remove(p.command().partnerId() + "\n" + p.command().reference()));
            }
            return ids;
        }
    }

    /**
     * Removes orders inserted earlier in the same transaction whose hold was refused, and their attempts. The
     * status is a parameter: as a literal, the generic plan may scan the partial index {@code orders_due}
     * (every open order) instead of looking the ids up (DatabaseConfig).
     */
    void deleteUnheld(List<Long> orderIds) {
        jdbc.sql("""
                with deleted as (delete from orders where id = any(:ids) and status = :initiated returning id)
                delete from attempts where order_id in (select id from deleted)""")
                .param("ids", bigint(orderIds.toArray())).param("initiated", OrderStatus.INITIATED.name()).update();
    }

    /**
     * The predicate of the unique index a reference lives in (payments and fetches have one each). Written
     * out, not a parameter: only a literal lets PostgreSQL use the partial index instead of scanning orders.
     */
    private static String kindIs(boolean fetch) {
        return fetch ? "kind = 'BILL_FETCH'" : "kind <> 'BILL_FETCH'";
    }

    /** How a fetch was answered: by which connector, the operator's code there, the reference sent, the answer. */
    record FetchedBy(String connector, String operatorCode, String reference, String upstreamCode, String message) {
    }

    /**
     * Inserts a finished bill fetch with the attempt that fetched it; empty when the partner already used this
     * fetch reference.
     */
    Optional<Long> insertFetch(FetchCommand c, String reference, Operator operator, Bill bill, String fingerprint,
                               FetchedBy by) {
        return jdbc.sql("""
                with fetched as (
                    insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number, params,
                        amount_minor, currency, status, fingerprint, bill, finished_at)
                    values (:partner, :reference, 'BILL_FETCH', :dialect, 'INSTANT', :operator, :account, :params::jsonb,
                        :amount, :currency, 'SUCCESS', :fingerprint, :bill::jsonb, now())
                    on conflict (partner_id, reference) where kind = 'BILL_FETCH' do nothing
                    returning id
                ), attempt as (
                    insert into attempts (order_id, connector, operator_code, reference, outcome, upstream_code, message,
                        finished_at)
                    select id, :connector, :operatorCode, :sentRef, 'SUCCESS', :upstreamCode, :message, now() from fetched
                )
                select id from fetched""")
                .param("connector", by.connector()).param("operatorCode", by.operatorCode()).param("sentRef", by.reference())
                .param("upstreamCode", by.upstreamCode()).param("message", by.message())
                .param("partner", c.partnerId()).param("reference", reference).param("dialect", c.dialect())
                .param("operator", operator.id()).param("account", c.accountNumber())
                .param("params", json.writeValueAsString(c.params())).param("amount", bill.amountMinor())
                .param("currency", operator.currency().name()).param("fingerprint", fingerprint)
                .param("bill", json.writeValueAsString(bill))
                .query(Long.class).optional();
    }


    /**
     * A first answer's effect on an order it moved: the answer that stands, and whether the order's partner
     * has a callback URL, read in the same statement.
     */
    record FirstSettled(long orderId, Answer answer, boolean partnerListens) {
    }

    /**
     * Records the attempts' outcomes and, in the same statement, applies each move (with its rendered
     * answer, stored unless one was before) to its order if the order is still INITIATED: as it was placed,
     * so the answer rendered from the placed order is exact. Sent with the pipeline; once it has run, the
     * rows say what happened to the orders moved; an order another actor has touched since is left alone
     * and absent.
     */
    Pipeline.Rows<FirstSettled> settleFirstAnswers(Pipeline pipeline, List<Settlements.FirstAnswer> answers) {
        List<Move> moves = answers.stream().map(Settlements.FirstAnswer::move).toList();
        // The status guard is a parameter, not the literal: with 'INITIATED' written out, the generic plan
        // scanned the partial index orders_due (every unsettled order, and the dead entries of every order
        // settled since the last vacuum: 0.58 ms a batch) instead of looking the batch's orders up by id.
        return pipeline.add("""
                with finished as (
                    update attempts a set outcome = v.outcome, upstream_ref = v.ref, upstream_code = v.code,
                        message = v.message, finished_at = now()
                    from unnest(:attempts, :outcomes, :attemptRefs, :attemptCodes, :attemptMessages)
                        as v(id, outcome, ref, code, message)
                    where a.id = v.id
                ), moved as (
                    update orders o set status = v.status, operator_ref = coalesce(v.ref, o.operator_ref),
                        failure_code = v.code, failure_message = v.message,
                        updated_at = timestamptz 'epoch' + v.at * interval '1 microsecond',
                        next_check_at = timestamptz 'epoch' + v.next_check * interval '1 microsecond',
                        finished_at = case when v.final then timestamptz 'epoch' + v.at * interval '1 microsecond'
                            else o.finished_at end,
                        answer_status = coalesce(o.answer_status, v.answer_status),
                        answer_body = coalesce(o.answer_body, v.answer_body)
                    from unnest(:ids, :statuses, :refs, :codes, :messages, :checks, :finals, :ats, :answerStatuses,
                            :answerBodies)
                        as v(id, status, ref, code, message, next_check, final, at, answer_status, answer_body)
                    where o.id = v.id and o.status = any(:from)
                    returning o.id, o.partner_id, o.answer_status, o.answer_body
                )
                select m.id, m.answer_status, m.answer_body, p.callback_url is not null as partner_listens
                from moved m left join partners p on p.id = m.partner_id""",
                moveParams(moves).addValue("from", text(new Object[] {OrderStatus.INITIATED.name()}))
                        .addValue("ats", epochMicros(answers.stream().map(a -> a.moved().updatedAt()).toArray()))
                        .addValue("answerStatuses", integer(answers.stream().map(a -> a.answer().httpStatus()).toArray()))
                        .addValue("answerBodies", text(answers.stream().map(a -> a.answer().body()).toArray()))
                        .addValue("attempts", bigint(answers.stream().map(a -> a.instruction().attemptId()).toArray()))
                        .addValue("outcomes", text(answers.stream().map(a -> a.result().outcome().name()).toArray()))
                        .addValue("attemptRefs", text(answers.stream().map(a -> a.result().operatorRef()).toArray()))
                        .addValue("attemptCodes", text(answers.stream().map(a -> a.result().upstreamCode()).toArray()))
                        .addValue("attemptMessages", text(answers.stream().map(a -> a.result().message()).toArray())),
                (rs, n) -> new FirstSettled(rs.getLong("id"), new Answer(rs.getInt("answer_status"),
                        rs.getString("answer_body")), rs.getBoolean("partner_listens")));
    }

    /**
     * A state change for one order, as {@link OrderStateMachine} declares it; nextCheckAt is when the janitor
     * asks next (null: never). Moving to REFUND_CONTESTED keeps the refund's failure and records the upstream's
     * reference, code and message beside it (contested_refund).
     */
    record Move(long orderId, OrderStateMachine.Transition transition, String operatorRef, String failureCode,
                String failureMessage, Instant nextCheckAt) {
        /** The status the order is stored with once moved. */
        OrderStatus to() {
            return transition.to().status();
        }
    }

    /** An order as it is, and where it is in its life, read under a row lock. */
    record Current(Order order, OrderStateMachine.State state) {
    }

    /**
     * The orders with these ids, by id, each with its {@link OrderStateMachine.State}, their rows locked until
     * the caller's transaction ends (in id order), so the state read is the state a move starts from.
     */
    Map<Long, Current> lockForChange(List<Long> orderIds) {
        Map<Long, Current> found = new HashMap<>();
        jdbc.sql(SELECT + " where o.id = any(:ids) order by o.id for update of o").param("ids", bigint(orderIds.toArray()))
                .query((rs, n) -> {
                    Order order = order(rs, n);
                    return new Current(order, OrderStateMachine.State.of(order.status(),
                            rs.getObject("contested_refund") != null));
                })
                .list().forEach(c -> found.put(c.order().id(), c));
        return found;
    }

    /**
     * Applies each move whose order is still in the state it moves from, in one statement, and returns the
     * orders moved as they are now. An order another actor moved since is left alone (absent from the result),
     * so a settlement is never applied twice.
     */
    Map<Long, Order> transition(List<Move> moves, Instant at) {
        Map<Long, Order> moved = new HashMap<>();
        if (moves.isEmpty()) {
            return moved;
        }
        jdbc.sql("with moved as (" + TRANSITION + " returning o.*) " + select("moved"))
                .paramSource(moveParams(moves).addValue("at", Timestamp.from(at))
                        .addValue("froms", text(moves.stream().map(m -> m.transition().from().name()).toArray()))
                        .addValue("contests", bool(moves.stream()
                                .map(m -> m.transition().to() == OrderStateMachine.State.REFUND_CONTESTED).toArray())))
                .query(this::order).list().forEach(o -> moved.put(o.id(), o));
        return moved;
    }

    /**
     * The guarded state change of many orders; parameters from {@link #moveParams}, each order's state before
     * (the {@link OrderStateMachine.State} of its status, as {@code State.of} reads it) and whether it contests a
     * refund.
     */
    private static final String TRANSITION = """
            update orders o set status = v.status, operator_ref = coalesce(v.ref, o.operator_ref),
                failure_code = case when v.contest then o.failure_code else v.code end,
                failure_message = case when v.contest then o.failure_message else v.message end,
                contested_refund = case when v.contest then jsonb_build_object(
                        'refund', jsonb_build_object('at', o.finished_at, 'code', o.failure_code,
                            'message', o.failure_message),
                        'success', jsonb_build_object('at', :at::timestamptz, 'operatorRef', v.ref, 'code', v.code,
                            'message', v.message))
                    else o.contested_refund end,
                updated_at = :at,
                next_check_at = timestamptz 'epoch' + v.next_check * interval '1 microsecond',
                finished_at = case when v.final then :at else o.finished_at end
            from unnest(:ids, :statuses, :refs, :codes, :messages, :checks, :finals, :froms, :contests)
                as v(id, status, ref, code, message, next_check, final, from_state, contest)
            where o.id = v.id and v.from_state = case
                when o.status = 'NEEDS_REVIEW' and o.contested_refund is not null then 'REFUND_CONTESTED'
                else o.status end
            """;

    private static MapSqlParameterSource moveParams(List<Move> moves) {
        return new MapSqlParameterSource()
                .addValue("ids", bigint(moves.stream().map(Move::orderId).toArray()))
                .addValue("statuses", text(moves.stream().map(m -> m.to().name()).toArray()))
                .addValue("refs", text(moves.stream().map(Move::operatorRef).toArray()))
                .addValue("codes", text(moves.stream().map(Move::failureCode).toArray()))
                .addValue("messages", text(moves.stream().map(Move::failureMessage).toArray()))
                .addValue("checks", epochMicros(moves.stream().map(Move::nextCheckAt).toArray()))
                .addValue("finals", bool(moves.stream().map(m -> m.to().isFinal()).toArray()));
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
            jdbc.sql("update orders set next_check_at = :lease, check_count = check_count + 1 where id = any(:ids)")
                    .param("lease", Timestamp.from(leaseUntil)).param("ids", bigint(claims.stream().map(Claim::orderId).toArray()))
                    .update();
        }
        return claims;
    }

    /** The latest attempt of an order. */
    Optional<AttemptRow> lastAttempt(long orderId) {
        return jdbc.sql("select a.*, true as latest from attempts a where order_id = :order order by id desc limit 1")
                .param("order", orderId).query(this::attemptRow).optional();
    }

    /** Every attempt of an order, first first. */
    List<AttemptRow> attempts(long orderId) {
        return jdbc.sql("select a.*, a.id = max(a.id) over () as latest from attempts a where order_id = :order order by id")
                .param("order", orderId).query(this::attemptRow).list();
    }

    /** An attempt as stored, and whether it is its order's latest. */
    record AttemptRow(long id, long orderId, String connector, String operatorCode, String reference, String outcome,
                      String upstreamRef,
                      String upstreamCode, String message, Instant startedAt, Instant finishedAt, boolean latest,
                      long upstreamFeeMinor, long upstreamCommissionMinor) {
        /** The terms of the upstream this attempt went to, as fixed when it was made. */
        UpstreamTerms terms() {
            return new UpstreamTerms(connector, upstreamFeeMinor, upstreamCommissionMinor);
        }
    }

    Optional<AttemptRow> attempt(long attemptId) {
        return jdbc.sql("""
                select a.*, not exists (select 1 from attempts b where b.order_id = a.order_id and b.id > a.id) as latest
                from attempts a where a.id = :id""").param("id", attemptId).query(this::attemptRow).optional();
    }

    private AttemptRow attemptRow(ResultSet rs, int row) throws SQLException {
        return new AttemptRow(rs.getLong("id"), rs.getLong("order_id"), rs.getString("connector"),
                rs.getString("operator_code"), rs.getString("reference"), rs.getString("outcome"), rs.getString("upstream_ref"),
                rs.getString("upstream_code"), rs.getString("message"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getBoolean("latest"), rs.getLong("upstream_fee_minor"),
                rs.getLong("upstream_commission_minor"));
    }

    /**
     * Fails an attempt over to the next route: records the attempt's outcome and opens the next attempt, in one
     * statement, only while the order is still INITIATED, the janitor has never claimed it, and its first check is
     * further away (by the database's clock, the janitor's) than the next attempt can last: {@code within}. The
     * order is locked meanwhile, so the janitor cannot claim it between the two. Empty when any of that does not
     * hold: then nothing is written.
     */
    Optional<Long> failOver(long orderId, long attemptId, String outcome, String upstreamCode, String message,
                            UpstreamTerms next, String nextOperatorCode, Duration within) {
        return jdbc.sql("""
                with o as (
                    select id from orders
                    where id = :order and status = :initiated and check_count = 0
                      and next_check_at > now() + :within * interval '1 millisecond'
                    for update
                ), finished as (
                    update attempts set outcome = :outcome, upstream_code = :code, message = :message, finished_at = now()
                    where id = :attempt and exists (select 1 from o)
                )
                insert into attempts (order_id, connector, operator_code, upstream_fee_minor, upstream_commission_minor)
                select id, :connector, :operatorCode, :upstreamFee, :upstreamCommission from o
                returning id""")
                .param("order", orderId).param("initiated", OrderStatus.INITIATED.name()).param("attempt", attemptId)
                .param("outcome", outcome).param("code", upstreamCode).param("message", message)
                .param("connector", next.connector()).param("operatorCode", nextOperatorCode)
                .param("upstreamFee", next.feeMinor()).param("upstreamCommission", next.commissionMinor())
                .param("within", within.toMillis())
                .query(Long.class).optional();
    }

    /** Records what an upstream said of an attempt that is no longer its order's latest (a late callback). */
    void recordAttemptOutcome(long attemptId, String outcome, String upstreamRef, String upstreamCode, String message) {
        jdbc.sql("""
                update attempts set outcome = :outcome, upstream_ref = coalesce(:ref, upstream_ref), upstream_code = :code,
                    message = :message, finished_at = coalesce(finished_at, now())
                where id = :id""")
                .param("id", attemptId).param("outcome", outcome).param("ref", upstreamRef).param("code", upstreamCode)
                .param("message", message).update();
    }

    /** Both facts of a refund an upstream's late SUCCESS contested (V10), as stored JSON; empty when none did. */
    Optional<String> contestedRefund(long orderId) {
        return jdbc.sql("select contested_refund::text from orders where id = :id and contested_refund is not null")
                .param("id", orderId).query(String.class).optional();
    }

    /** The connector that fetched a bill (its fetch order's attempt). */
    Optional<String> fetchConnector(long fetchOrderId) {
        return jdbc.sql("select connector from attempts where order_id = :order order by id limit 1")
                .param("order", fetchOrderId).query(String.class).optional();
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
        return storeAnswersIfAbsent(Map.of(orderId, answer)).get(orderId);
    }

    /** Stores each order's first answer; returns the answers that stand (one stored before wins). */
    Map<Long, Answer> storeAnswersIfAbsent(Map<Long, Answer> answers) {
        List<Long> ids = List.copyOf(answers.keySet());
        Map<Long, Answer> standing = new HashMap<>();
        jdbc.sql("""
                update orders o set answer_status = v.status, answer_body = v.body
                from unnest(:ids, :statuses, :bodies) as v(id, status, body)
                where o.id = v.id and o.answer_body is null
                returning o.id""")
                .param("ids", bigint(ids.toArray()))
                .param("statuses", integer(ids.stream().map(id -> answers.get(id).httpStatus()).toArray()))
                .param("bodies", text(ids.stream().map(id -> answers.get(id).body()).toArray()))
                .query((rs, n) -> standing.put(rs.getLong(1), answers.get(rs.getLong(1)))).list();
        List<Long> earlier = ids.stream().filter(id -> !standing.containsKey(id)).toList();
        if (!earlier.isEmpty()) {
            jdbc.sql("select id, answer_status, answer_body from orders where id = any(:ids)")
                    .param("ids", bigint(earlier.toArray()))
                    .query((rs, n) -> standing.put(rs.getLong(1), new Answer(rs.getInt(2), rs.getString(3)))).list();
        }
        return standing;
    }

    /** The orders with these ids, by id. */
    Map<Long, Order> findAll(List<Long> orderIds) {
        Map<Long, Order> found = new HashMap<>();
        jdbc.sql(SELECT + " where o.id = any(:ids)").param("ids", bigint(orderIds.toArray()))
                .query(this::order).list().forEach(o -> found.put(o.id(), o));
        return found;
    }

    Optional<Order> find(String partnerId, long orderId) {
        return jdbc.sql(SELECT + " where o.id = :id and o.partner_id = :partner")
                .param("id", orderId).param("partner", partnerId).query(this::order).optional();
    }

    Optional<Order> findByReference(String partnerId, String reference, boolean fetch) {
        return jdbc.sql(SELECT + " where o.partner_id = :partner and o.reference = :reference and o." + kindIs(fetch))
                .param("partner", partnerId).param("reference", reference)
                .query(this::order).optional();
    }

    /**
     * A page of the partner's payments (never fetches), newest first by (created_at, id): keyset paging on the
     * partial index orders_by_partner_time (V19), whose predicate the query states as a literal.
     */
    List<Order> page(String partnerId, OrderQuery q) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where o.partner_id = :partner and o.kind <> 'BILL_FETCH'");
        var spec = new java.util.LinkedHashMap<String, Object>();
        spec.put("partner", partnerId);
        if (q.from() != null) {
            sql.append(" and o.created_at >= :from");
            spec.put("from", q.from().atOffset(java.time.ZoneOffset.UTC));
        }
        if (q.to() != null) {
            sql.append(" and o.created_at < :to");
            spec.put("to", q.to().atOffset(java.time.ZoneOffset.UTC));
        }
        if (q.status() != null) {
            sql.append(" and o.status = :status");
            spec.put("status", q.status().name());
        }
        if (q.beforeId() != null) {
            sql.append(" and (o.created_at, o.id) < (:beforeAt, :beforeId)");
            spec.put("beforeAt", q.beforeCreatedAt().atOffset(java.time.ZoneOffset.UTC));
            spec.put("beforeId", q.beforeId());
        }
        sql.append(" order by o.created_at desc, o.id desc limit :limit");
        spec.put("limit", q.limit());
        return jdbc.sql(sql.toString()).params(spec).query(this::order).list();
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
                rs.getLong("amount_minor"), price(rs),
                Currency.valueOf(rs.getString("currency")), OrderStatus.valueOf(rs.getString("status")),
                (Long) rs.getObject("bill_fetch_id"), rs.getString("product_code"), bill == null ? null : json.readValue(bill, Bill.class),
                rs.getString("operator_ref"), rs.getString("failure_code"), rs.getString("failure_message"),
                (Long) rs.getObject("wallet_opening_minor"), (Long) rs.getObject("wallet_closing_minor"),
                instant(rs, "refunded_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    /** An order's price as stored; a bill fetch's is all zero. */
    private static Price price(ResultSet rs) throws SQLException {
        return new Price(rs.getLong("ccf_minor"), rs.getLong("fee_minor"), rs.getLong("gst_minor"),
                rs.getLong("commission_minor"), rs.getLong("tds_minor"), rs.getLong("plan_version_id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
