package billswitch.payment;

import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerBatch;
import billswitch.ledger.Results;
import billswitch.ledger.Shards;
import billswitch.ledger.TransferCommand;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.db.Pipeline;
import billswitch.infra.db.ReservedConnections;
import billswitch.shared.DatabaseOutage;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment path's database work, batched as TigerBeetle batches transfers: whatever is waiting when
 * a worker comes round (payments to place and first answers to settle, up to the batch size) goes into one
 * transaction with one ledger call, which locks each account once, updates it once and writes all the
 * transfers with one statement. Within the transaction: the answers are recorded, the new orders and their
 * first attempts written and the accounts locked (three statements, one round trip), then the ledger
 * resolves the answered holds and places the new ones (refunds first, so they can fund holds of the same
 * batch), the orders it could not hold for are deleted, and its write goes with the COMMIT.
 */
@Component
class Batches {
    private static final Logger log = LoggerFactory.getLogger(Batches.class);
    /** One piece of work for a batch: a {@link Placements.Placement} or a {@link Settlements.FirstAnswer}. */
    sealed interface Step permits Placements.Placement, Settlements.FirstAnswer {
    }

    private final Placements placements;
    private final Settlements settlements;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    /** One batcher per lane; a partner's steps all go to the same lane ({@link #lane}). */
    private final List<Batcher<Step, Object>> lanes = new ArrayList<>();
    /** Each lane's own platform shards. */
    private final List<Shards> shards = new ArrayList<>();
    private final PaymentMetrics metrics;

    Batches(Placements placements, Settlements settlements, Ledger ledger, TransactionTemplate tx, JdbcTemplate jdbc,
            BillSwitchProperties props, PaymentMetrics metrics) {
        this.metrics = metrics;
        this.placements = placements;
        this.settlements = settlements;
        this.ledger = ledger;
        this.tx = tx;
        this.jdbc = jdbc;
        for (int lane = 0; lane < props.batching().lanes(); lane++) {
            int number = lane;
            shards.add(new Shards(lane, props.batching().lanes()));
            lanes.add(new Batcher<>("batch-" + lane, props.batching().maxSize(), props.batching().queueLimit(),
                    steps -> run(steps, number)));
        }
    }

    CompletableFuture<Placements.Placed> place(Placements.Placement placement) {
        return lane(placement.payment().command().partnerId()).submitUnlessFull(placement).thenApply(Placements.Placed.class::cast);
    }

    CompletableFuture<Answer> settle(Settlements.FirstAnswer answer) {
        return lane(answer.placed().partnerId()).submit(answer).thenApply(Answer.class::cast);
    }

    /** As {@link #settle}, for an answer a thread will block on: it calls {@link #handOut} once awake. */
    CompletableFuture<Answer> settleAwaited(Settlements.FirstAnswer answer) {
        return lane(answer.placed().partnerId()).submitAwaited(answer).thenApply(Answer.class::cast);
    }

    /** Whether every lane's worker is running (one killed by an Error is replaced at once). */
    boolean workersAlive() {
        return lanes.stream().allMatch(Batcher::alive);
    }

    /** How many steps wait in the lanes' queues. */
    int waiting() {
        return lanes.stream().mapToInt(Batcher::waiting).sum();
    }

    /** How many times a lane's worker killed by an Error was replaced. */
    int restarts() {
        return lanes.stream().mapToInt(Batcher::restarts).sum();
    }

    /** How many batches of the lanes failed as a whole and were retried one payment at a time. */
    int retriedOneByOne() {
        return lanes.stream().mapToInt(Batcher::retriedOneByOne).sum();
    }

    /** Hands the other answers of the batch that woke this thread to their threads ({@link Batcher}). */
    void handOut() {
        for (Batcher<Step, Object> lane : lanes) {
            lane.handOut();
        }
    }

    /**
     * The lane of a partner: its placements and settlements, in every currency, are batched there and only
     * there, so batches of two lanes never lock the same wallet (nor, {@link Ledger#lock}, the same platform
     * shard), nor insert the same partner's references (unique per partner), so they never wait on each
     * other. The id's hash is mixed first: partner ids often differ only in their last characters.
     */
    private Batcher<Step, Object> lane(String partnerId) {
        return lanes.get(laneOf(partnerId, lanes.size()));
    }

    static int laneOf(String partnerId, int lanes) {
        return Math.floorMod(Long.hashCode(partnerId.hashCode() * 0x9E3779B97F4A7C15L), lanes);
    }

    /** Runs one batch as the first lane does. */
    List<Object> run(List<Step> steps) {
        return run(steps, 0);
    }

    /** Runs one batch of a lane in one transaction; answers each step in order. */
    private List<Object> run(List<Step> steps, int lane) {
        List<Placements.Placement> toPlace = new ArrayList<>();
        List<Settlements.FirstAnswer> toSettle = new ArrayList<>();
        for (Step step : steps) {
            switch (step) {
                case Placements.Placement p -> toPlace.add(p);
                case Settlements.FirstAnswer a -> toSettle.add(a);
            }
        }
        boolean[] committing = {false};
        List<Object> results;
        try {
            // On a connection of the batches' own pool: never queued behind request threads' queries.
            results = ReservedConnections.forBatch(() -> tx.execute(status -> {
                // Two round trips and no more: (1) the answers recorded, the new orders written, and every account
                // the ledger call may touch locked (the holds answered came with their payments; new holds go on
                // the placements' wallets); (2) the ledger's one write of all accounts and transfers, and COMMIT.
                Pipeline pipeline = Pipeline.ofTransaction(jdbc);
                Settlements.Recording recording = settlements.record(pipeline, toSettle);
                Placements.Written written = placements.insert(pipeline, toPlace);
                LedgerBatch ledgerBatch = ledger.lock(recording.holds(), written.holdings(), shards.get(lane));
                pipeline.run();
                // Refunds first: a hold voided here can fund a hold placed in the same batch.
                Settlements.Recorded recorded = recording.recorded();
                List<TransferCommand> commands = new ArrayList<>(recorded.resolutions());
                int firstHold = commands.size();
                commands.addAll(written.holds());
                Results done = ledgerBatch.execute(commands);
                placements.deleteRefused(written, done, firstHold);
                committing[0] = true;
                pipeline.runAndCommit();
                // Committed: from here on only what the statements returned is read, nothing can fail.
                List<Placements.Placed> placed = placements.placed(written, done, firstHold);
                List<Object> answers = new ArrayList<>(steps.size());
                int p = 0;
                int a = 0;
                for (Step step : steps) {
                    answers.add(step instanceof Placements.Placement ? placed.get(p++) : recorded.answers().get(a++));
                }
                return answers;
            }));
        } catch (RuntimeException e) {
            if (committing[0] && DatabaseOutage.causedBy(e)) {
                throw new CommitUnknown(e);
            }
            throw e;
        }
        sendHeld(steps, results);
        for (Settlements.FirstAnswer answer : toSettle) {
            metrics.reached(answer.moved(), answer.connector());
        }
        return results;
    }

    /**
     * The payments whose holds just committed are sent upstream from here, before their steps are answered:
     * an operator that answers at once has its first answer queued before this worker takes its next batch,
     * which settles it. Left to the payment's own thread, woken after the commit, the answer came a moment
     * too late for the next batch and waited a whole batch more (sent from here, a batch carried 5.3 payments
     * instead of 4.2, and two runs of scenario (a) went from 1,178 and 1,086 to 1,604 and 1,895/s). Nothing thrown here
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

    /**
     * The database went away while a batch's COMMIT was on its way (or after): the batch may have committed or
     * not. A payment in it is answered "in progress", never failed nor "retry": its reference finds it either way.
     */
    static final class CommitUnknown extends RuntimeException {
        CommitUnknown(RuntimeException cause) {
            super("the database went away during a batch's commit; it may have committed", cause);
        }
    }

    @PreDestroy
    void stop() {
        for (Batcher<Step, Object> lane : lanes) {
            lane.close();
        }
    }
}
