package billswitch.payment;

import billswitch.ledger.Ledger;
import billswitch.shared.BillSwitchProperties;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places payments: the order, the hold on the wallet and the first attempt, for many payments in one
 * transaction (see {@link Ledger#holdAll}). A payment the wallet cannot cover leaves no order behind.
 */
@Component
class Placements {
    /** A validated payment to place, debiting {@code debitMinor} (amount + fee) from the wallet. */
    record Placement(OrderRepository.NewPayment payment, long walletId, long debitMinor, String connector) {
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
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final Batcher<Placement, Placed> batcher;

    Placements(OrderRepository orders, Ledger ledger, TransactionTemplate tx, BillSwitchProperties props) {
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.batcher = new Batcher<>("place", props.batching().workers(), props.batching().maxSize(), this::placeAll);
    }

    CompletableFuture<Placed> submit(Placement placement) {
        return batcher.submit(placement);
    }

    /** Places the payments in one transaction; answers each in order. */
    List<Placed> placeAll(List<Placement> placements) {
        return tx.execute(status -> {
            List<OrderRepository.Inserted> orderIds = orders.insertPayments(placements.stream().map(Placement::payment).toList());
            List<Integer> inserted = new ArrayList<>();
            List<Ledger.HoldRequest> requests = new ArrayList<>();
            for (int i = 0; i < placements.size(); i++) {
                if (orderIds.get(i) != null) {
                    Placement p = placements.get(i);
                    inserted.add(i);
                    requests.add(new Ledger.HoldRequest(orderIds.get(i).id(), p.walletId(),
                            p.payment().command().amount().currency(), p.debitMinor()));
                }
            }
            List<Ledger.Hold> holds = requests.isEmpty() ? List.of() : ledger.holdAll(requests);
            List<Long> refused = new ArrayList<>();
            Set<String> refusedReferences = new HashSet<>();
            List<Long> held = new ArrayList<>();
            List<String> connectors = new ArrayList<>();
            for (int k = 0; k < holds.size(); k++) {
                long orderId = requests.get(k).orderId();
                if (holds.get(k) == null) {
                    refused.add(orderId);
                    refusedReferences.add(key(placements.get(inserted.get(k))));
                } else {
                    held.add(orderId);
                    connectors.add(placements.get(inserted.get(k)).connector());
                }
            }
            if (!refused.isEmpty()) {
                orders.deleteUnheld(refused);
            }
            List<Long> attempts = held.isEmpty() ? List.of() : orders.insertAttempts(held, connectors);
            Placed[] placed = new Placed[placements.size()];
            for (int i = 0; i < placed.length; i++) {
                // A second use of a reference within this batch shares the first's fate when that was refused:
                // its order is deleted, so there is nothing to replay.
                placed[i] = orderIds.get(i) != null || refusedReferences.contains(key(placements.get(i)))
                        ? new Refused() : new Duplicate();
            }
            for (int h = 0, k = 0; k < holds.size(); k++) {
                if (holds.get(k) != null) {
                    int i = inserted.get(k);
                    placed[i] = new Held(asPlaced(placements.get(i).payment(), orderIds.get(i), holds.get(k)), attempts.get(h));
                    h++;
                }
            }
            return List.of(placed);
        });
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

    @PreDestroy
    void stop() {
        batcher.close();
    }
}
