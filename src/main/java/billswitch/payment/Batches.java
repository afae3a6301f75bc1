package billswitch.payment;

import billswitch.ledger.Ledger;
import billswitch.shared.BillSwitchProperties;
import billswitch.shared.Pipeline;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment path's database work, batched as TigerBeetle batches transfers: whatever is waiting when
 * a worker comes round (payments to place and first answers to settle, up to the batch size) goes into one
 * transaction with one ledger call, which locks each account once, updates it once and writes all the
 * transfers with one statement: the answers recorded, the new orders and their first attempts written, the
 * accounts locked, then the ledger resolves the answered holds and places the new ones (refunds first, so
 * they can fund holds of the same batch).
 * <p>
 * A batch is sent in one round trip, with its COMMIT, when it can assume what it would otherwise read
 * first: every answered order still INITIATED and its partner without a callback URL, every new reference
 * unused, every wallet covering its holds. Each statement checks its assumption in the database (the
 * wallets by the accounts_no_overdraw constraint) and a broken one fails the transaction, which then runs
 * again carefully: two round trips, the second decided on what the first read (holds a wallet cannot cover
 * refused and their orders deleted, orders the janitor touched settled from what it left, webhook events
 * written). Hints keep batches that would fail from trying: the wallets' balances and the partners'
 * callback URLs as this node last saw them.
 */
@Component
class Batches {
    private static final Logger log = LoggerFactory.getLogger(Batches.class);
    /** One piece of work for a batch: a {@link Placements.Placement} or a {@link Settlements.FirstAnswer}. */
    sealed interface Step permits Placements.Placement, Settlements.FirstAnswer {
    }

    /** Order ids taken from the sequence at a time, for the orders batches insert. */
    private static final int ORDER_IDS_AT_ONCE = 1000;

    private final Placements placements;
    private final Settlements settlements;
    private final Ledger ledger;
    private final OrderRepository orders;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final Batcher<Step, Object> batcher;
    private long[] orderIds = new long[0];
    private int nextOrderId;
    private final AtomicLong inOneRoundTrip = new AtomicLong();
    private final AtomicLong rerunCarefully = new AtomicLong();

    Batches(Placements placements, Settlements settlements, Ledger ledger, OrderRepository orders,
            TransactionTemplate tx, JdbcTemplate jdbc, BillSwitchProperties props) {
        this.placements = placements;
        this.settlements = settlements;
        this.ledger = ledger;
        this.orders = orders;
        this.tx = tx;
        this.jdbc = jdbc;
        this.batcher = new Batcher<>("batch", props.batching().workers(), props.batching().maxSize(), this::run);
    }

    CompletableFuture<Placements.Placed> place(Placements.Placement placement) {
        return batcher.submit(placement).thenApply(Placements.Placed.class::cast);
    }

    CompletableFuture<Answer> settle(Settlements.FirstAnswer answer) {
        return batcher.submit(answer).thenApply(Answer.class::cast);
    }

    /** Runs one batch in one transaction, in one round trip if it can; answers each step in order. */
    List<Object> run(List<Step> steps) {
        List<Placements.Placement> toPlace = new ArrayList<>();
        List<Settlements.FirstAnswer> toSettle = new ArrayList<>();
        for (Step step : steps) {
            switch (step) {
                case Placements.Placement p -> toPlace.add(p);
                case Settlements.FirstAnswer a -> toSettle.add(a);
            }
        }
        long[] ids = takeOrderIds(toPlace.size());
        List<Object> results = null;
        if (settlements.likelyAsExpected(toSettle) && ledger.likelyCovers(Settlements.expectedResolutions(toSettle),
                Placements.holdRequests(toPlace, ids))) {
            try {
                results = tx.execute(status -> inOneRoundTrip(steps, toPlace, toSettle, ids));
                inOneRoundTrip.incrementAndGet();
            } catch (DataAccessException e) {
                // An assumption did not hold (or the one round trip failed otherwise): nothing committed.
                rerunCarefully.incrementAndGet();
                log.debug("A batch of {} runs again carefully: {}", steps.size(), e.getMessage());
            }
        }
        if (results == null) {
            results = tx.execute(status -> carefully(steps, toPlace, toSettle, ids));
        }
        sendHeld(steps, results);
        return results;
    }

    /**
     * The batch as one round trip: the answers recorded, the orders written, the accounts locked and the
     * ledger's write, each checking what the batch assumed, and COMMIT.
     */
    private List<Object> inOneRoundTrip(List<Step> steps, List<Placements.Placement> toPlace,
                                        List<Settlements.FirstAnswer> toSettle, long[] ids) {
        Pipeline pipeline = new Pipeline(jdbc);
        Settlements.Recording recording = settlements.record(pipeline, toSettle, true);
        Placements.Written written = placements.insert(pipeline, toPlace, ids, true);
        Ledger.Locks locks = ledger.lock(pipeline, recording.holds(), written.holdings());
        Ledger.Applied applied = ledger.applyAsCovered(pipeline, locks, Settlements.expectedResolutions(toSettle),
                Placements.holdRequests(toPlace, ids));
        pipeline.runAndCommit();
        ledger.committed(applied);
        return answers(steps, placements.placed(written, applied), recording.answersAsExpected());
    }

    /**
     * The batch in two round trips: (1) the answers recorded, the new orders written, and every account the
     * ledger call may touch locked (the holds answered came with their payments; new holds go on the
     * placements' wallets), read; (2) the ledger's one write of all accounts and transfers, decided on the
     * balances read, the orders it refused to hold for deleted, and COMMIT.
     */
    private List<Object> carefully(List<Step> steps, List<Placements.Placement> toPlace,
                                   List<Settlements.FirstAnswer> toSettle, long[] ids) {
        Pipeline first = new Pipeline(jdbc);
        Settlements.Recording recording = settlements.record(first, toSettle, false);
        Placements.Written written = placements.insert(first, toPlace, ids, false);
        Ledger.Locks locks = ledger.lock(first, recording.holds(), written.holdings());
        first.run();
        Settlements.Recorded recorded = recording.recorded();
        Pipeline last = new Pipeline(jdbc);
        Ledger.Applied applied = ledger.apply(last, locks, recorded.resolutions(), written.requests());
        placements.deleteRefused(written, applied);
        last.runAndCommit();
        ledger.committed(applied);
        return answers(steps, placements.placed(written, applied), recorded.answers());
    }

    /** How many batches committed in one round trip. */
    long inOneRoundTrip() {
        return inOneRoundTrip.get();
    }

    /** How many batches ran again carefully after their one round trip found an assumption broken. */
    long rerunCarefully() {
        return rerunCarefully.get();
    }

    /** Once committed, each step's answer in order: from here on only what the statements returned is read. */
    private static List<Object> answers(List<Step> steps, List<Placements.Placed> placed, List<Answer> settled) {
        List<Object> answers = new ArrayList<>(steps.size());
        int p = 0;
        int a = 0;
        for (Step step : steps) {
            answers.add(step instanceof Placements.Placement ? placed.get(p++) : settled.get(a++));
        }
        return answers;
    }

    /** Ids for the batch's orders, taken from the order_ids sequence a thousand at a time. */
    private synchronized long[] takeOrderIds(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            if (nextOrderId == orderIds.length) {
                orderIds = orders.takeOrderIds(ORDER_IDS_AT_ONCE);
                nextOrderId = 0;
            }
            ids[i] = orderIds[nextOrderId++];
        }
        return ids;
    }

    /**
     * The payments whose holds just committed are sent upstream from here, before their steps are answered:
     * an operator that answers at once has its first answer queued before this worker takes its next batch,
     * which settles it. Left to the payment's own thread, woken after the commit, the answer came a moment
     * too late for the next batch and waited a whole batch more (docs/PERFORMANCE.md). Nothing thrown here
     * may escape: the batch has committed.
     */
    private static void sendHeld(List<Step> steps, List<Object> results) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Placements.Placement p && p.afterHold() != null
                    && results.get(i) instanceof Placements.Held held) {
                try {
                    p.afterHold().held(held);
                } catch (RuntimeException e) {
                    log.warn("Sending order {} after its hold failed; its own thread sends it", held.orderId(), e);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        batcher.close();
    }
}
