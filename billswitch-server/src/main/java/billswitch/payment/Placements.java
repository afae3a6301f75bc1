package billswitch.payment;

import billswitch.shared.ReplayMark;
import billswitch.ledger.Ledger;
import billswitch.ledger.PendingHold;
import billswitch.ledger.Results;
import billswitch.ledger.TransferCommand;
import billswitch.infra.db.Pipeline;
import billswitch.infra.db.ReplayLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Places payments: the order and its first attempt, and the hold on the wallet, for many payments in one
 * transaction, in two steps around the ledger call ({@link #insert}, then {@link #placed}) so that
 * {@link Batches} can share that call with the batch's settlements. A payment the wallet cannot cover
 * leaves no order behind.
 */
@Component
class Placements {
    /**
     * A validated payment to place, debiting {@code debitMinor} (amount + ccf + fee + gst) from the wallet; once its hold
     * has committed, the batch hands it to {@code afterHold} (null: nothing to do). {@code mark}, when not null, is
     * its signed request's replay mark, recorded in the batch: a mark recorded before makes this placement alone a
     * replay ({@link Replayed}), the rest of the batch goes on.
     */
    record Placement(OrderRepository.NewPayment payment, long walletId, long debitMinor, AfterHold afterHold,
                     ReplayMark mark) implements Batches.Step {
        Placement(OrderRepository.NewPayment payment, long walletId, long debitMinor, AfterHold afterHold) {
            this(payment, walletId, debitMinor, afterHold, null);
        }
    }

    /**
     * What a payment does as soon as its hold has committed, run by the batch's worker before it answers the
     * batch's steps: send the payment upstream. It must not block (connectors answer with futures); an
     * answer there at once is then settled in the worker's very next batch.
     */
    interface AfterHold {
        void held(Held held);
    }

    /** What placing a payment did. */
    sealed interface Placed {
    }

    /**
     * Order written and money held by {@code hold}; the attempt to send is {@code attemptId}; {@code order}
     * as written. The hold goes with the payment to its first answer, which resolves it.
     */
    record Held(Order order, long attemptId, PendingHold hold) implements Placed {
        long orderId() {
            return order.id();
        }
    }

    /** The partner already used the reference: nothing written, answer as a replay. */
    record Duplicate() implements Placed {
    }

    /** The wallet's available balance did not cover the debit: nothing written. */
    record Refused() implements Placed {
    }

    /** The signed request was received before (its replay mark was recorded before): nothing written. */
    record Replayed() implements Placed {
    }

    /**
     * The reference was taken in this batch by a replayed placement, whose order was then deleted: nothing written
     * for this one either, and the reference is free again; answered as a busy moment (sign again and retry).
     */
    record Collided() implements Placed {
    }

    private final OrderRepository orders;

    Placements(OrderRepository orders) {
        this.orders = orders;
    }

    /** A batch of placements whose orders a pipeline writes, then the ledger holds their money. */
    static final class Written {
        private final List<Placement> placements;
        private final OrderRepository.Insertion insertion;
        /** The marks the batch recorded now (null: none to record). */
        private final Pipeline.Rows<ReplayMark> recorded;
        private List<OrderRepository.Inserted> rows;
        /** For each placement, whether its mark was recorded before: a replay. */
        private boolean[] replayed;
        /** For each hold, the index of its placement. */
        private final List<Integer> placementOf = new ArrayList<>();
        private final List<TransferCommand.Hold> holds = new ArrayList<>();

        private Written(List<Placement> placements, OrderRepository.Insertion insertion, Pipeline.Rows<ReplayMark> recorded) {
            this.placements = placements;
            this.insertion = insertion;
            this.recorded = recorded;
        }

        /** The wallets the batch may hold money on: to lock with the batch's first statements. */
        List<Ledger.Holding> holdings() {
            return placements.stream().map(p -> new Ledger.Holding(p.walletId(), p.payment().command().amount().currency()))
                    .toList();
        }

        /** Once the pipeline has run: what to hold, one hold per order written, in the order of the placements. */
        List<TransferCommand.Hold> holds() {
            if (rows == null) {
                rows = insertion == null ? List.of() : insertion.inserted();
                replayed = new boolean[placements.size()];
                if (recorded != null) {
                    // each mark recorded now belongs to the first placement carrying it; a second copy is a replay
                    Set<ReplayMark> now = new HashSet<>(recorded.list());
                    for (int i = 0; i < replayed.length; i++) {
                        ReplayMark mark = placements.get(i).mark();
                        replayed[i] = mark != null && !now.remove(mark);
                    }
                }
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i) != null && !replayed[i]) {
                        Placement p = placements.get(i);
                        placementOf.add(i);
                        holds.add(new TransferCommand.Hold(rows.get(i).id(), p.walletId(),
                                p.payment().command().amount().currency(), p.debitMinor()));
                    }
                }
            }
            return holds;
        }
    }

    /**
     * Adds to the pipeline the statement writing the orders (a reference the partner used before writes
     * nothing); once it has run, {@link Written#requests} says what to hold.
     */
    Written insert(Pipeline pipeline, List<Placement> placements) {
        List<ReplayMark> marks = placements.stream().map(Placement::mark).filter(java.util.Objects::nonNull).toList();
        Pipeline.Rows<ReplayMark> recorded = marks.isEmpty() ? null : ReplayLog.recordInBatch(pipeline, marks);
        return new Written(placements, placements.isEmpty() ? null
                : orders.insertPayments(pipeline, placements.stream().map(Placement::payment).toList()), recorded);
    }

    /**
     * Given what the ledger did with the batch's holds (its results from {@code first} on), deletes the orders
     * it refused to hold for and those of replayed placements (and their attempts). In the batch's transaction,
     * before it commits; a statement only when there is one to delete.
     */
    void deleteRefused(Written batch, Results results, int first) {
        batch.holds();
        List<Long> refused = new ArrayList<>();
        for (int i = 0; i < batch.rows.size(); i++) {
            if (batch.replayed[i] && batch.rows.get(i) != null) {
                refused.add(batch.rows.get(i).id());
            }
        }
        for (int k = 0; k < batch.holds().size(); k++) {
            if (!results.result(first + k).ok()) {
                refused.add(batch.holds.get(k).orderId());
            }
        }
        if (!refused.isEmpty()) {
            orders.deleteUnheld(refused);
        }
    }

    /** Once the ledger's write has run: each placement's answer, in order (the holds' results from {@code first} on). */
    List<Placed> placed(Written batch, Results results, int first) {
        List<Placement> placements = batch.placements;
        int holds = batch.holds().size();
        Set<String> refusedReferences = new HashSet<>();
        for (int k = 0; k < holds; k++) {
            if (!results.result(first + k).ok()) {
                refusedReferences.add(key(placements.get(batch.placementOf.get(k))));
            }
        }
        Set<String> replayedReferences = new HashSet<>();
        for (int i = 0; i < placements.size(); i++) {
            if (batch.replayed[i] && batch.rows.get(i) != null) {
                replayedReferences.add(key(placements.get(i)));
            }
        }
        Placed[] placed = new Placed[placements.size()];
        for (int i = 0; i < placed.length; i++) {
            // A second use of a reference within this batch shares the first's fate when that was refused:
            // its order is deleted, so there is nothing to replay.
            if (batch.replayed[i]) {
                placed[i] = new Replayed();
            } else if (batch.rows.get(i) == null && replayedReferences.contains(key(placements.get(i)))) {
                placed[i] = new Collided();
            } else {
                placed[i] = batch.rows.get(i) != null || refusedReferences.contains(key(placements.get(i)))
                        ? new Refused() : new Duplicate();
            }
        }
        for (int k = 0; k < holds; k++) {
            if (results.result(first + k).ok()) {
                int i = batch.placementOf.get(k);
                placed[i] = new Held(asPlaced(placements.get(i).payment(), batch.rows.get(i),
                        results.openingMinor(first + k), results.closingMinor(first + k)),
                        batch.rows.get(i).attemptId(), results.pendingHold(first + k));
            }
        }
        return List.of(placed);
    }

    /** The order as the insert wrote it, with the wallet's available balance around its hold. */
    private static Order asPlaced(OrderRepository.NewPayment p, OrderRepository.Inserted row, long openingMinor,
                                  long closingMinor) {
        PayCommand c = p.command();
        return new Order(row.id(), c.partnerId(), c.reference(), c.kind(), c.dialect(), c.channel(), p.operatorId(),
                c.accountNumber(), c.params(), c.amount().amountMinor(), p.price(),
                c.amount().currency(), OrderStatus.INITIATED, p.billFetchId(), c.productCode(), null, null, null, null,
                openingMinor, closingMinor, null, row.createdAt(), row.createdAt());
    }

    private static String key(Placement p) {
        return p.payment().command().partnerId() + "\n" + p.payment().command().reference();
    }
}
