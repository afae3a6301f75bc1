package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.ledger.Ledger;
import billswitch.ledger.TransferCommand;
import billswitch.ledger.LedgerVerifier;
import billswitch.shared.Currency;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** One batch holding both kinds of work, straight through {@link Batches#run}. */
class BatchesTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    Settlements settlements;
    @Autowired
    PaymentRules rules;
    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    DataSource dataSource;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;

    private Placements.Placement placement(String partnerId, String reference, long amountMinor) {
        return PaymentSteps.placement(ledger, partnerId, reference, amountMinor);
    }

    private Settlements.FirstAnswer answer(Placements.Held held, Outcome outcome) {
        return PaymentSteps.firstAnswer(settlements, rules, held, ConnectorResult.of(outcome, null, "X", "answer"),
                o -> new Answer(200, o.status().name()));
    }

    @Test
    void aRefundInTheBatchFundsAHoldInTheSameBatchAndEveryStepIsAnsweredInOrder() {
        NativeClient p = newPartner(10_000);
        NativeClient q = newPartner(5_000);
        Placements.Held first = (Placements.Held) batches.run(List.of(placement(p.partnerId, "b-1", 10_000))).getFirst();
        Placements.Held other = (Placements.Held) batches.run(List.of(placement(q.partnerId, "b-2", 5_000))).getFirst();
        assertThat(p.availableInr()).isZero();

        List<Object> results = batches.run(List.of(
                placement(p.partnerId, "b-3", 10_000),        // only fits once b-1's refund is in
                answer(first, Outcome.FAILED),
                placement(q.partnerId, "b-4", 1),             // q's wallet is empty until b-2 fails: refused
                answer(other, Outcome.SUCCESS)));

        assertThat(results.get(0)).isInstanceOf(Placements.Held.class);
        assertThat(results.get(1)).isEqualTo(new Answer(200, "FAILED"));
        assertThat(results.get(2)).isInstanceOf(Placements.Refused.class);
        assertThat(results.get(3)).isEqualTo(new Answer(200, "SUCCESS"));
        Placements.Held third = (Placements.Held) results.get(0);
        // The refund came first: the new hold opened on the refunded balance.
        assertThat(third.order().walletOpeningMinor()).isEqualTo(10_000);
        assertThat(third.order().walletClosingMinor()).isZero();
        assertThat(p.availableInr()).isZero();
        assertThat(q.availableInr()).isZero();
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void heldPaymentsAreHandedOnOnlyOnceTheirHoldsCommittedAndOneThatThrowsUndoesNothing() {
        NativeClient p = newPartner(10_000);
        List<Long> holdsSeenElsewhere = new ArrayList<>();
        Placements.Placement seen = withAfterHold(placement(p.partnerId, "ah-1", 3_000),
                held -> holdsSeenElsewhere.add(committedHolds(held.orderId())));
        Placements.Placement exploding = withAfterHold(placement(p.partnerId, "ah-2", 2_000), held -> {
            throw new IllegalStateException("the upstream call blew up");
        });

        List<Object> results = batches.run(List.of(seen, exploding));

        assertThat(results).allMatch(r -> r instanceof Placements.Held);
        // Read on a connection of its own: only a committed hold is visible there.
        assertThat(holdsSeenElsewhere).containsExactly(1L);
        assertThat(committedHolds(((Placements.Held) results.get(1)).orderId())).isEqualTo(1);
        assertThat(p.availableInr()).isEqualTo(5_000);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aWalletSpentByAnotherWriterBetweenTwoBatchesRefusesOnlyTheHoldThatNoLongerFits() {
        NativeClient p = newPartner(10_000);
        long wallet = ledger.walletId(p.partnerId, Currency.INR);
        batches.run(List.of(placement(p.partnerId, "spent-1", 1_000)));
        // Another writer (here the ledger directly, as another node's batch would) holds 8,500 of the 9,000 left.
        ledger.execute(List.of(new TransferCommand.Hold(987_000_001L, wallet, Currency.INR, 8_500)));

        List<Object> results = batches.run(List.of(placement(p.partnerId, "spent-2", 2_000),
                placement(p.partnerId, "spent-3", 300)));

        assertThat(results.get(0)).isInstanceOf(Placements.Refused.class);
        Placements.Held held = (Placements.Held) results.get(1);
        assertThat(held.order().walletOpeningMinor()).isEqualTo(500);
        assertThat(held.order().walletClosingMinor()).isEqualTo(200);
        assertThat(p.availableInr()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from orders where partner_id = :p and reference = 'spent-2'")
                .param("p", p.partnerId).query(Long.class).single()).isZero();
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aReferenceUsedTwiceInOneBatchIsHeldOnceAndTheSecondUseIsADuplicate() {
        NativeClient p = newPartner(10_000);

        List<Object> results = batches.run(List.of(placement(p.partnerId, "twice", 1_000),
                placement(p.partnerId, "twice", 1_000)));

        assertThat(results.get(0)).isInstanceOf(Placements.Held.class);
        assertThat(results.get(1)).isInstanceOf(Placements.Duplicate.class);
        assertThat(p.availableInr()).isEqualTo(9_000);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void theTimesStatusesAndFlagsABatchWritesAreTheOnesItWasGiven() {
        NativeClient p = newPartner(10_000);
        Instant firstCheck = Instant.parse("2031-02-03T04:05:06.123456Z");
        Placements.Placement placement = placement(p.partnerId, "times-1", 1_000);
        OrderRepository.NewPayment payment = placement.payment();
        placement = new Placements.Placement(new OrderRepository.NewPayment(payment.command(), payment.operatorId(),
                payment.price(), payment.billFetchId(), payment.fingerprint(), firstCheck,
                payment.terms(), payment.operatorCode()), placement.walletId(), placement.debitMinor(), null);

        Placements.Held held = (Placements.Held) batches.run(List.of(placement)).getFirst();
        assertThat(column(held.orderId(), "next_check_at", Instant.class)).isEqualTo(firstCheck);

        // A pending first answer: the janitor's next check, the time of the change, the stored answer's status.
        Settlements.FirstAnswer pending = PaymentSteps.firstAnswer(settlements, rules, held,
                ConnectorResult.of(Outcome.PENDING, null, "P", "pending"), o -> new Answer(202, o.status().name()));
        assertThat(batches.run(List.of(pending))).containsExactly(new Answer(202, "PENDING"));
        assertThat(column(held.orderId(), "next_check_at", Instant.class))
                .isCloseTo(pending.move().nextCheckAt(), within(1, ChronoUnit.MICROS));
        assertThat(column(held.orderId(), "updated_at", Instant.class)).isEqualTo(pending.moved().updatedAt());
        assertThat(column(held.orderId(), "answer_status", Integer.class)).isEqualTo(202);
        assertThat(column(held.orderId(), "finished_at", Instant.class)).isNull();

        // A later, final answer: no next check, and the order finished at the change.
        tx.executeWithoutResult(s -> settlements.applyLaterAnswer(held.orderId(), new Settlements.LaterAnswer.Upstream(
                ConnectorResult.of(Outcome.SUCCESS, "OP-1", "S", "done"), 1, "sandbox")));
        assertThat(column(held.orderId(), "status", String.class)).isEqualTo("SUCCESS");
        assertThat(column(held.orderId(), "next_check_at", Instant.class)).isNull();
        assertThat(column(held.orderId(), "finished_at", Instant.class))
                .isEqualTo(column(held.orderId(), "updated_at", Instant.class)).isNotNull();
        assertThat(verifier.verify().ok()).isTrue();
    }

    private <T> T column(long orderId, String column, Class<T> type) {
        return jdbc.sql("select " + column + " from orders where id = :id").param("id", orderId)
                .query((rs, n) -> rs.getObject(1) == null ? null : type == Instant.class
                        ? type.cast(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()) : rs.getObject(1, type))
                .list().getFirst();
    }

    private static Placements.Placement withAfterHold(Placements.Placement p, Placements.AfterHold afterHold) {
        return new Placements.Placement(p.payment(), p.walletId(), p.debitMinor(), afterHold);
    }

    /** The order's holds as another connection sees them: committed ones only. */
    private long committedHolds(long orderId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from transfers where order_id = ? and kind = 'PENDING'")) {
            s.setLong(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
