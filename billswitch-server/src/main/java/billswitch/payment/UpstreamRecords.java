package billswitch.payment;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.shared.Currency;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Our side of a reconciliation with an upstream: the payments' attempts sent through a connector, what the upstream
 * says of one now (the janitor's status enquiry, {@link PaymentService#askUpstream}), and an outcome a report proves
 * applied through the same guarded transition as the janitor's and a callback's ({@link Settlements#applyLaterAnswer}),
 * so a report line and a status answer arriving together move the money once.
 */
@Service
public class UpstreamRecords {

    /** One attempt of a payment as reconciliation compares it: the order's state and money, the attempt's reference. */
    public record SentAttempt(long attemptId, long orderId, String partnerId, String connector, String reference,
                              String upstreamRef, String attemptOutcome, boolean latest, OrderStatus orderStatus,
                              boolean refundContested, long amountMinor, Currency currency, Instant createdAt) {
    }

    /** What settling by a report did: the order's status after it, and whether this call moved it. */
    public record Settled(OrderStatus status, boolean moved) {
    }

    private static final String SELECT = """
            select a.id as attempt_id, a.order_id, o.partner_id, a.connector, a.upstream_ref, a.outcome,
                   not exists (select 1 from attempts b where b.order_id = a.order_id and b.id > a.id) as latest,
                   o.status, o.contested_refund is not null as contested, o.amount_minor, o.currency, o.created_at
            from attempts a join orders o on o.id = a.order_id
            """;

    private final JdbcClient jdbc;
    private final AttemptReferences references;
    private final OrderRepository orders;
    private final PaymentService payments;
    private final Settlements settlements;
    private final TransactionTemplate tx;

    UpstreamRecords(JdbcClient jdbc, AttemptReferences references, OrderRepository orders, PaymentService payments,
                    Settlements settlements, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.references = references;
        this.orders = orders;
        this.payments = payments;
        this.settlements = settlements;
        this.tx = tx;
    }

    /**
     * The attempts sent through {@code connector} of the payments placed in [from, to) (orders.created_at, the
     * BRIN-indexed column), attempt by attempt, oldest first; attempts that provably never left (NOT_SENT) are left
     * out: the upstream cannot know them.
     */
    public List<SentAttempt> attemptsSent(String connector, Instant from, Instant to) {
        return jdbc.sql(SELECT + """
                where o.created_at >= :from and o.created_at < :to and o.kind <> 'BILL_FETCH'
                  and a.connector = :connector and coalesce(a.outcome, '') <> 'NOT_SENT'
                order by a.id""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("connector", connector)
                .query(this::row).list();
    }

    /** The payment attempt sent through {@code connector} with this reference of ours, whatever its day. */
    public Optional<SentAttempt> byReference(String connector, String reference) {
        OptionalLong id = references.attemptOf(reference);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " where a.id = :id and a.connector = :connector and o.kind <> 'BILL_FETCH'")
                .param("id", id.getAsLong()).param("connector", connector).query(this::row).optional();
    }

    /** What the upstream says of the attempt now: the janitor's status enquiry, through the attempt's connector. */
    public ConnectorResult askUpstream(SentAttempt attempt) {
        Order order = orders.findAnyPartner(attempt.orderId()).orElseThrow();
        return payments.askUpstream(order, orders.attempt(attempt.attemptId()).orElseThrow());
    }

    /**
     * Applies an outcome a report proves (SUCCESS or FAILED) to the attempt's order when the order is still
     * unsettled (PENDING, UNKNOWN) or in review with its money held (NEEDS_REVIEW, not a contested refund), and the
     * attempt is still the order's latest: through the order state machine, in one transaction with the money, with
     * {@code reason} noted on the attempt. Anything else changes nothing and answers the order's status as it is.
     */
    public Settled settle(SentAttempt attempt, ConnectorResult proven, String reason) {
        if (proven.outcome() != Outcome.SUCCESS && proven.outcome() != Outcome.FAILED) {
            throw new IllegalArgumentException("only a SUCCESS or a FAILED settles an order");
        }
        return tx.execute(s -> {
            OrderRepository.Current current = orders.lockForChange(List.of(attempt.orderId())).get(attempt.orderId());
            OrderStateMachine.State state = current.state();
            boolean settleable = state == OrderStateMachine.State.PENDING || state == OrderStateMachine.State.UNKNOWN
                    || state == OrderStateMachine.State.NEEDS_REVIEW;
            if (!settleable || !orders.attempt(attempt.attemptId()).orElseThrow().latest()) {
                return new Settled(current.order().status(), false);
            }
            Optional<Order> moved = settlements.applyLaterAnswer(attempt.orderId(),
                    new Settlements.LaterAnswer.Upstream(proven, 0, attempt.connector()));
            if (moved.isEmpty()) {
                return new Settled(current.order().status(), false);
            }
            orders.recordAttemptOutcome(attempt.attemptId(), proven.outcome().name(), proven.operatorRef(),
                    proven.upstreamCode(), reason);
            return new Settled(moved.get().status(), true);
        });
    }

    private SentAttempt row(ResultSet rs, int n) throws SQLException {
        long attemptId = rs.getLong("attempt_id");
        return new SentAttempt(attemptId, rs.getLong("order_id"), rs.getString("partner_id"), rs.getString("connector"),
                references.of(attemptId), rs.getString("upstream_ref"), rs.getString("outcome"), rs.getBoolean("latest"),
                OrderStatus.valueOf(rs.getString("status")), rs.getBoolean("contested"), rs.getLong("amount_minor"),
                Currency.valueOf(rs.getString("currency")), rs.getTimestamp("created_at").toInstant());
    }
}
