package billswitch.payment;

import billswitch.ledger.Ledger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Places payments: the order and its first attempt, and the hold on the wallet, for many payments in one
 * transaction, in two steps around the ledger call ({@link #insert}, then {@link #complete}) so that
 * {@link Batches} can share that call with the batch's settlements. A payment the wallet cannot cover
 * leaves no order behind.
 */
@Component
class Placements {
    /** A validated payment to place, debiting {@code debitMinor} (amount + fee) from the wallet. */
    record Placement(OrderRepository.NewPayment payment, long walletId, long debitMinor)
            implements Batches.Step {
    }

    /** What placing a payment did. */
    sealed interface Placed {
    }

    /** Order written and money held; the attempt to send is {@code attemptId}; {@code order} as written. */
    record Held(Order order, long attemptId) implements Placed {
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

    private final OrderRepository orders;

    Placements(OrderRepository orders) {
        this.orders = orders;
    }

    /** A batch of placements whose orders are written, waiting for the ledger to hold their money. */
    static final class Written {
        private final List<Placement> placements;
        private final List<OrderRepository.Inserted> rows;
        /** For each hold request, the index of its placement. */
        private final List<Integer> placementOf = new ArrayList<>();
        private final List<Ledger.HoldRequest> requests = new ArrayList<>();

        private Written(List<Placement> placements, List<OrderRepository.Inserted> rows) {
            this.placements = placements;
            this.rows = rows;
        }

        /** What to hold, one request per order written, in the order of the placements. */
        List<Ledger.HoldRequest> requests() {
            return requests;
        }
    }

    /** Writes the orders (a reference the partner used before writes nothing) and says what to hold. */
    Written insert(List<Placement> placements) {
        if (placements.isEmpty()) {
            return new Written(placements, List.of());
        }
        Written batch = new Written(placements, orders.insertPayments(placements.stream().map(Placement::payment).toList()));
        for (int i = 0; i < placements.size(); i++) {
            if (batch.rows.get(i) != null) {
                Placement p = placements.get(i);
                batch.placementOf.add(i);
                batch.requests.add(new Ledger.HoldRequest(batch.rows.get(i).id(), p.walletId(),
                        p.payment().command().amount().currency(), p.debitMinor()));
            }
        }
        return batch;
    }

    /**
     * Given the ledger's holds (null: refused) for the batch's requests, deletes the orders refused (and
     * their attempts), and answers each placement in order.
     */
    List<Placed> complete(Written batch, List<Ledger.Hold> holds) {
        List<Placement> placements = batch.placements;
        List<Long> refused = new ArrayList<>();
        Set<String> refusedReferences = new HashSet<>();
        for (int k = 0; k < holds.size(); k++) {
            if (holds.get(k) == null) {
                refused.add(batch.requests.get(k).orderId());
                refusedReferences.add(key(placements.get(batch.placementOf.get(k))));
            }
        }
        if (!refused.isEmpty()) {
            orders.deleteUnheld(refused);
        }
        Placed[] placed = new Placed[placements.size()];
        for (int i = 0; i < placed.length; i++) {
            // A second use of a reference within this batch shares the first's fate when that was refused:
            // its order is deleted, so there is nothing to replay.
            placed[i] = batch.rows.get(i) != null || refusedReferences.contains(key(placements.get(i)))
                    ? new Refused() : new Duplicate();
        }
        for (int k = 0; k < holds.size(); k++) {
            if (holds.get(k) != null) {
                int i = batch.placementOf.get(k);
                placed[i] = new Held(asPlaced(placements.get(i).payment(), batch.rows.get(i), holds.get(k)),
                        batch.rows.get(i).attemptId());
            }
        }
        return List.of(placed);
    }

    /** The order as the insert wrote it, with the wallet's available balance around its hold. */
    private static Order asPlaced(OrderRepository.NewPayment p, OrderRepository.Inserted row, Ledger.Hold hold) {
        PayCommand c = p.command();
        return new Order(row.id(), c.partnerId(), c.reference(), c.kind(), c.dialect(), c.channel(), p.operatorId(),
                c.accountNumber(), c.params(), c.amount().amountMinor(), p.feeMinor(), p.commissionMinor(),
                c.amount().currency(), OrderStatus.INITIATED, p.billFetchId(), null, null, null, null,
                hold.openingMinor(), hold.closingMinor(), null, row.createdAt(), row.createdAt());
    }

    private static String key(Placement p) {
        return p.payment().command().partnerId() + "\n" + p.payment().command().reference();
    }
}
