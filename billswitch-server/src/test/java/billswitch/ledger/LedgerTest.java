package billswitch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.infra.db.Pipeline;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger's rules, case by case, then a seeded random workload checked against an independent model. */
class LedgerTest extends IntegrationTest {
    private static final long NO_ORDER_BASE = 9_000_000_000L;

    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JdbcTemplate template;

    /** Order ids no order has, unique across this class's tests: an order holds money once (V6). */
    private static final AtomicLong ORDER_IDS = new AtomicLong(NO_ORDER_BASE);

    /** A hold as placed: its transfer and the wallet's available balance around it. */
    private record Held(long transferId, long openingMinor, long closingMinor) {
    }

    /** One hold; INSUFFICIENT_FUNDS (rolling the transaction back) when the wallet cannot cover it. */
    private Held hold(long wallet, long amountMinor, long orderId) {
        Results r = ledger.execute(List.of(new TransferCommand.Hold(orderId, wallet, Currency.INR, amountMinor)));
        if (r.result(0) == TransferResult.EXCEEDS_AVAILABLE) {
            throw new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS);
        }
        return new Held(r.transferId(0), r.openingMinor(0), r.closingMinor(0));
    }

    /** Posts (no commission) or voids one order's hold; the wallet's available balance after. */
    private long resolve(long orderId, boolean post) {
        PendingHold h = holdOf(orderId);
        return ledger.execute(List.of(post ? new TransferCommand.Post(h, split(0)) : new TransferCommand.Void(h))).closingMinor(0);
    }

    /** A split with only a commission (no fee, taxes or upstream terms), through the sandbox. */
    private static TransferCommand.Split split(long commissionMinor) {
        return new TransferCommand.Split("sandbox", 0, 0, 0, commissionMinor, 0, 0, 0);
    }

    private static TransferCommand.Hold holdCommand(long orderId, long wallet, long amountMinor) {
        return new TransferCommand.Hold(orderId, wallet, Currency.INR, amountMinor);
    }

    private PendingHold holdOf(long orderId) {
        return ledger.pendingHolds(List.of(orderId)).get(orderId);
    }

    private long wallet(NativeClient partner) {
        return ledger.walletId(partner.partnerId, Currency.INR);
    }

    @Test
    void aHoldReservesPostingSettlesAndVoidingRefunds() {
        long w = wallet(newPartner(10_000));

        long first = ORDER_IDS.incrementAndGet();
        Held hold = tx.execute(s -> hold(w, 4_000, first));
        assertThat(hold.openingMinor()).isEqualTo(10_000);
        assertThat(hold.closingMinor()).isEqualTo(6_000);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 10_000, 4_000, 6_000));

        tx.executeWithoutResult(s -> resolve(first, true));
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 6_000, 0, 6_000));

        long second = ORDER_IDS.incrementAndGet();
        tx.execute(s -> hold(w, 6_000, second));
        assertThat(ledger.balance(w).availableMinor()).isZero();
        long closing = tx.execute(s -> resolve(second, false));
        assertThat(closing).isEqualTo(6_000);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 6_000, 0, 6_000));
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aBatchServesHoldsInOrderAndResolvesThemWithTheWalletChainUnbroken() {
        long a = wallet(newPartner(10_000));
        long b = wallet(newPartner(3_000));
        long[] o = new long[6];
        for (int i = 0; i < o.length; i++) {
            o[i] = ORDER_IDS.incrementAndGet();
        }
        Results holds = tx.execute(s -> ledger.execute(List.of(
                holdCommand(o[0], a, 4_000),
                holdCommand(o[1], b, 2_000),
                holdCommand(o[2], a, 7_000),   // 6,000 left: refused
                holdCommand(o[3], a, 5_000),   // still fits after the refusal
                holdCommand(o[4], b, 1_500),   // 1,000 left: refused
                holdCommand(o[5], b, 1_000))));
        assertThat(java.util.stream.IntStream.range(0, 6).mapToObj(holds::result)).containsExactly(TransferResult.OK,
                TransferResult.OK, TransferResult.EXCEEDS_AVAILABLE, TransferResult.OK, TransferResult.EXCEEDS_AVAILABLE,
                TransferResult.OK);
        assertThat(holds.pendingHold(2)).isNull();
        assertThat(holds.transferId(4)).isZero();
        assertThat(List.of(holds.openingMinor(0), holds.closingMinor(0))).containsExactly(10_000L, 6_000L);
        assertThat(List.of(holds.openingMinor(3), holds.closingMinor(3))).containsExactly(6_000L, 1_000L);
        assertThat(List.of(holds.openingMinor(1), holds.closingMinor(1))).containsExactly(3_000L, 1_000L);
        assertThat(List.of(holds.openingMinor(5), holds.closingMinor(5))).containsExactly(1_000L, 0L);
        assertThat(List.of(holds.transferId(0), holds.transferId(1), holds.transferId(3), holds.transferId(5))).isSorted();
        assertThat(holds.pendingHold(3)).isEqualTo(holdOf(o[3]));
        assertThat(ledger.balance(a)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 10_000, 9_000, 1_000));
        assertThat(ledger.balance(b)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 3_000, 3_000, 0));

        Results resolved = tx.execute(s -> ledger.execute(List.of(
                new TransferCommand.Post(holdOf(o[0]), split(40)),
                new TransferCommand.Void(holdOf(o[3])),
                new TransferCommand.Post(holdOf(o[1]), split(0)),
                new TransferCommand.Void(holdOf(o[5])))));
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(resolved::closingMinor))
                .containsExactly(1_040L, 6_040L, 0L, 1_000L);
        assertThat(ledger.balance(a)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 6_040, 0, 6_040));
        assertThat(ledger.balance(b)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_000, 0, 1_000));
        for (long wallet : new long[] {a, b}) {
            List<Ledger.StatementEntry> entries = new ArrayList<>(ledger.statement(wallet, Long.MAX_VALUE, 100));
            java.util.Collections.reverse(entries);
            for (int i = 1; i < entries.size(); i++) {
                assertThat(entries.get(i).openingMinor()).as("opening of transfer %d", entries.get(i).transferId())
                        .isEqualTo(entries.get(i - 1).closingMinor());
            }
        }
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aTopUpGoesThroughTheSameWritePathOncePerReference() {
        long w = wallet(newPartner(1_000));
        TransferCommand.TopUp topUp = new TransferCommand.TopUp(w, Currency.INR, 500, "ledger-topup-1");
        Results first = ledger.execute(List.of(topUp));
        assertThat(first.result(0)).isEqualTo(TransferResult.OK);
        assertThat(List.of(first.openingMinor(0), first.closingMinor(0))).containsExactly(1_000L, 1_500L);

        // The same reference and amount: nothing moves again, and the earlier transfer answers.
        Results again = ledger.execute(List.of(topUp));
        assertThat(again.result(0)).isEqualTo(TransferResult.EXISTS);
        assertThat(again.transferId(0)).isEqualTo(first.transferId(0));
        assertThat(List.of(again.openingMinor(0), again.closingMinor(0))).containsExactly(1_000L, 1_500L);
        // The same reference, another amount: refused, nothing moves.
        Results other = ledger.execute(List.of(new TransferCommand.TopUp(w, Currency.INR, 501, "ledger-topup-1")));
        assertThat(other.result(0)).isEqualTo(TransferResult.EXISTS_WITH_DIFFERENT_AMOUNT);
        // Twice in one call: the second finds the first.
        Results twice = ledger.execute(List.of(new TransferCommand.TopUp(w, Currency.INR, 7, "ledger-topup-2"),
                new TransferCommand.TopUp(w, Currency.INR, 7, "ledger-topup-2")));
        assertThat(List.of(twice.result(0), twice.result(1))).containsExactly(TransferResult.OK, TransferResult.EXISTS);
        assertThat(twice.transferId(1)).isEqualTo(twice.transferId(0)).isPositive();
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_507, 0, 1_507));
        assertThat(ledger.statement(w, Long.MAX_VALUE, 10)).filteredOn(e -> e.code() == TransferCode.TOPUP)
                .extracting(Ledger.StatementEntry::reference).containsExactly("ledger-topup-2", "ledger-topup-1", "test-funding");
        assertThat(verifier.verify().ok()).isTrue();
        assertThatThrownBy(() -> new TransferCommand.TopUp(w, Currency.INR, 0, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChargeDebitsTheWalletAtOnceWithItsCommissionOrMovesNothingWhenTheWalletCannotCoverIt() {
        long w = wallet(newPartner(5_000));
        long order = ORDER_IDS.incrementAndGet();
        // A hold voided, then the order found paid after all: charged again, its commission credited.
        tx.execute(s -> hold(w, 3_000, order));
        tx.execute(s -> resolve(order, false));
        Results charged = ledger.execute(List.of(new TransferCommand.Charge(order, w, Currency.INR, 3_000, split(75))));
        assertThat(charged.result(0)).isEqualTo(TransferResult.OK);
        assertThat(List.of(charged.openingMinor(0), charged.closingMinor(0))).containsExactly(5_000L, 2_075L);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 2_075, 0, 2_075));
        List<Ledger.StatementEntry> entries = ledger.statement(w, Long.MAX_VALUE, 2);
        assertThat(entries).extracting(Ledger.StatementEntry::code, Ledger.StatementEntry::direction,
                Ledger.StatementEntry::amountMinor, Ledger.StatementEntry::orderId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TransferCode.COMMISSION, Ledger.Direction.CREDIT, 75L, order),
                org.assertj.core.groups.Tuple.tuple(TransferCode.PAYMENT, Ledger.Direction.DEBIT, 3_000L, order));
        assertThat(entries.get(0).transferId()).isGreaterThan(charged.transferId(0));
        assertThat(entries.get(1).transferId()).isEqualTo(charged.transferId(0));

        // More than the wallet has: refused, nothing moves.
        Results refused = ledger.execute(List.of(new TransferCommand.Charge(order, w, Currency.INR, 2_076, split(10))));
        assertThat(refused.result(0)).isEqualTo(TransferResult.EXCEEDS_AVAILABLE);
        assertThat(List.of(refused.openingMinor(0), refused.closingMinor(0))).containsExactly(2_075L, 2_075L);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 2_075, 0, 2_075));
        assertThat(verifier.verify().ok()).isTrue();
        assertThatThrownBy(() -> new TransferCommand.Charge(order, w, Currency.INR, 0, split(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefundEarlierInABatchFundsAHoldLaterInIt() {
        long w = wallet(newPartner(1_000));
        long first = ORDER_IDS.incrementAndGet();
        long second = ORDER_IDS.incrementAndGet();
        tx.execute(s -> hold(w, 1_000, first));
        // Nothing is left, but the void comes first in the batch and frees the 1,000 the new hold takes.
        Results r = ledger.execute(List.of(new TransferCommand.Void(holdOf(first)), holdCommand(second, w, 800)));
        assertThat(List.of(r.result(0), r.result(1))).containsExactly(TransferResult.OK, TransferResult.OK);
        assertThat(List.of(r.openingMinor(1), r.closingMinor(1))).containsExactly(1_000L, 200L);
        // In the other order the hold finds nothing to take.
        long third = ORDER_IDS.incrementAndGet();
        Results reversed = ledger.execute(List.of(holdCommand(third, w, 300), new TransferCommand.Void(holdOf(second))));
        assertThat(List.of(reversed.result(0), reversed.result(1)))
                .containsExactly(TransferResult.EXCEEDS_AVAILABLE, TransferResult.OK);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_000, 0, 1_000));
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aWalletCannotBeOverdrawn() {
        long w = wallet(newPartner(1_000));
        long order = ORDER_IDS.incrementAndGet();
        assertThatThrownBy(() -> tx.execute(s -> hold(w, 1_001, order)))
                .isInstanceOf(BillSwitchException.class)
                .extracting(e -> ((BillSwitchException) e).code()).isEqualTo(ErrorCode.INSUFFICIENT_FUNDS);
        assertThat(ledger.balance(w).availableMinor()).isEqualTo(1_000);
        // The database refuses an overdraft even if the guard in the code were bypassed.
        assertThatThrownBy(() -> jdbc.sql("update accounts set debits_posted = debits_posted + 1001 where id = :id")
                .param("id", w).update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aHoldIsResolvedAtMostOnce() {
        long w = wallet(newPartner(1_000));
        long order = ORDER_IDS.incrementAndGet();
        tx.execute(s -> hold(w, 500, order));
        tx.executeWithoutResult(s -> resolve(order, true));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> resolve(order, false)))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 500, 0, 500));
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void anOrderHoldsMoneyOnce() {
        long w = wallet(newPartner(1_000));
        long order = ORDER_IDS.incrementAndGet();
        tx.execute(s -> hold(w, 300, order));
        assertThatThrownBy(() -> tx.execute(s -> hold(w, 300, order))).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_000, 300, 700));
        // Voided, the hold is still the order's one: no second hold after it either.
        tx.executeWithoutResult(s -> resolve(order, false));
        assertThatThrownBy(() -> tx.execute(s -> hold(w, 300, order))).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_000, 0, 1_000));
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void transfersAreImmutableRecordsThatVerifyChecksAgainstTheCounters() {
        long w = wallet(newPartner(1_000));
        assertThat(verifier.verify().ok()).isTrue();
        jdbc.sql("update accounts set credits_posted = credits_posted + 1 where id = :id").param("id", w).update();
        try {
            LedgerVerifier.Report broken = verifier.verify();
            assertThat(broken.ok()).isFalse();
            assertThat(broken.mismatchedAccounts()).extracting(LedgerVerifier.AccountMismatch::accountId).contains(w);
            assertThat(broken.currencies()).filteredOn(t -> t.currency().equals("INR"))
                    .extracting(LedgerVerifier.CurrencyTotal::postedNet).containsExactly(1L);
        } finally {
            jdbc.sql("update accounts set credits_posted = credits_posted - 1 where id = :id").param("id", w).update();
        }
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aLaneHoldsAndTakesCommissionOnlyOnItsOwnPlatformShards() {
        long w = wallet(newPartner(1_000_000));
        int lanes = 3;
        Set<Integer> settlementShards = new HashSet<>();
        Set<Integer> commissionShards = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            long order = ORDER_IDS.incrementAndGet();
            PendingHold hold = tx.execute(s -> {
                LedgerBatch batch = ledger.lock(List.of(), List.of(new Ledger.Holding(w, Currency.INR)), new Shards(1, lanes));
                Pipeline.ofTransaction(template).run();
                Results r = batch.execute(List.of(holdCommand(order, w, 1_000)));
                Pipeline.ofTransaction(template).run();
                return r.pendingHold(0);
            });
            settlementShards.add(shardOf(hold.settlementId()));
            tx.executeWithoutResult(s -> {
                LedgerBatch batch = ledger.lock(List.of(new Ledger.Resolving(hold, "sandbox")), List.of(), new Shards(2, lanes));
                Pipeline.ofTransaction(template).run();
                batch.execute(List.of(new TransferCommand.Post(hold, split(10))));
                Pipeline.ofTransaction(template).run();
            });
            commissionShards.addAll(jdbc.sql("""
                    select a.shard from transfers t join accounts a on a.id = t.debit_account_id
                    where t.order_id = :order and a.kind = 'COMMISSION'""").param("order", order).query(Integer.class).list());
        }
        // Lane 1 of 3 owns shards 1, 4, 7, 10 and 13; lane 2 owns 2, 5, 8, 11 and 14: 40 picks find more than one.
        assertThat(settlementShards).hasSizeGreaterThan(1).isSubsetOf(1, 4, 7, 10, 13);
        assertThat(commissionShards).hasSizeGreaterThan(1).isSubsetOf(2, 5, 8, 11, 14);
        assertThat(ledger.balance(w).availableMinor()).isEqualTo(1_000_000 - 40 * (1_000 - 10));
        assertThat(verifier.verify().ok()).isTrue();
        assertThatThrownBy(() -> new Shards(3, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shards(0, Shards.COUNT + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private int shardOf(long accountId) {
        return jdbc.sql("select shard from accounts where id = :id").param("id", accountId).query(Integer.class).single();
    }

    @Test
    void aHoldOnAnAccountThatDoesNotExistFailsAndMovesNothing() {
        long w = wallet(newPartner(1_000));
        long order = ORDER_IDS.incrementAndGet();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> ledger.execute(List.of(
                holdCommand(order, w, 100),
                holdCommand(order + 1, 987_654_321L, 100)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no such account");
        assertThat(ledger.balance(w)).isEqualTo(new Ledger.WalletBalance(Currency.INR, 1_000, 0, 1_000));
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void verifyReportsATransferThatPointsAtNoAccountOrNoPendingTransfer() {
        long w = wallet(newPartner(1_000));
        long order = ORDER_IDS.incrementAndGet();
        LedgerVerifier.Report broken = tx.execute(s -> {
            // Balanced counters, so only the dangling references are wrong.
            jdbc.sql("""
                    insert into transfers (kind, debit_account_id, credit_account_id, amount_minor, currency, code, order_id)
                    values ('POSTED', :w, 987654321, 1, 'INR', 'TEST', :order)""").param("w", w).param("order", order).update();
            jdbc.sql("""
                    insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency, code, order_id)
                    values ('VOID_PENDING', 987654321, :w, 987654322, 1, 'INR', 'TEST', :order)""")
                    .param("w", w).param("order", order).update();
            LedgerVerifier.Report report = verifier.verify();
            s.setRollbackOnly();
            return report;
        });
        assertThat(broken.ok()).isFalse();
        assertThat(broken.danglingTransfers()).isEqualTo(2);
        assertThat(verifier.verify().danglingTransfers()).isZero();
    }

    @Test
    void accountsAreNeverDeleted() {
        long w = wallet(newPartner(1_000));
        assertThatThrownBy(() -> jdbc.sql("delete from accounts where id = :id").param("id", w).update())
                .hasMessageContaining("never deleted");
        assertThat(ledger.balance(w).balanceMinor()).isEqualTo(1_000);
    }

    /** An independent model: a wallet is a balance and a set of open holds. */
    private static final class Model {
        long balance;
        final Map<Long, Long> holds = new HashMap<>();

        long available() {
            return balance - holds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void aSeededRandomWorkloadMatchesTheModel() {
        long seed = 20261122L;
        Random random = new Random(seed);
        List<NativeClient> clients = new ArrayList<>();
        // Insertion order: walletIds.get(i) must be clients.get(i)'s wallet (a HashMap's order broke that
        // whenever the five wallet ids straddled a multiple of 16, crediting the wrong wallet).
        Map<Long, Model> models = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            NativeClient c = newPartner(0);
            clients.add(c);
            models.put(wallet(c), new Model());
        }
        List<Long> walletIds = new ArrayList<>(models.keySet());
        Map<Long, Long> holdWallet = new HashMap<>();
        for (int step = 0; step < 1_500; step++) {
            long w = walletIds.get(random.nextInt(walletIds.size()));
            Model m = models.get(w);
            assertThat(ledger.balance(w).availableMinor()).as("available before step %d", step).isEqualTo(m.available());
            int op = random.nextInt(10);
            if (op < 2) {
                long amount = 1 + random.nextInt(50_000);
                NativeClient owner = clients.get(walletIds.indexOf(w));
                partners.topUp(owner.partnerId, Currency.INR, amount, "topup-" + seed + "-" + step);
                m.balance += amount;
            } else if (op < 6) {
                long amount = 1 + random.nextInt(30_000);
                long order = ORDER_IDS.incrementAndGet();
                if (amount <= m.available()) {
                    Held hold = tx.execute(s -> hold(w, amount, order));
                    assertThat(hold.openingMinor()).isEqualTo(m.available());
                    m.holds.put(order, amount);
                    holdWallet.put(order, w);
                    assertThat(hold.closingMinor()).isEqualTo(m.available());
                } else {
                    assertThatThrownBy(() -> tx.execute(s -> hold(w, amount, order)))
                            .isInstanceOf(BillSwitchException.class);
                }
            } else if (!m.holds.isEmpty()) {
                List<Long> open = new ArrayList<>(m.holds.keySet());
                long order = open.get(random.nextInt(open.size()));
                long amount = m.holds.remove(order);
                if (op < 8) {
                    tx.executeWithoutResult(s -> resolve(order, true));
                    m.balance -= amount;
                } else {
                    tx.executeWithoutResult(s -> resolve(order, false));
                }
            }
            if (step % 100 == 0) {
                assertBalancesMatch(models);
            }
        }
        assertBalancesMatch(models);
        assertThat(verifier.verify().ok()).as("seed %d", seed).isTrue();
    }

    private void assertBalancesMatch(Map<Long, Model> models) {
        models.forEach((w, m) -> {
            Ledger.WalletBalance b = ledger.balance(w);
            assertThat(b.balanceMinor()).isEqualTo(m.balance);
            assertThat(b.availableMinor()).isEqualTo(m.available());
        });
    }
}
