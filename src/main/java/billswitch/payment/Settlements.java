package billswitch.payment;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.shared.BillSwitchProperties;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what upstreams said to orders and the ledger: the first answers of many payments in one
 * transaction (attempts, guarded state changes, stored answers, webhook events, then one ledger call that
 * posts or voids all their holds), and the janitor's or a reviewer's later answers one at a time.
 */
@Component
class Settlements {
    /** The upstream's first answer to a payment, and how its dialect renders the answer. */
    record FirstAnswer(String partnerId, PaymentInstruction instruction, ConnectorResult result,
                       PaymentService.Renderer renderer) {
    }

    private final OrderRepository orders;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final List<OrderEvents> events;
    private final Batcher<FirstAnswer, Answer> batcher;

    Settlements(OrderRepository orders, Ledger ledger, TransactionTemplate tx, Clock clock, BillSwitchProperties props,
                List<OrderEvents> events) {
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.clock = clock;
        this.resolution = props.resolution();
        this.events = events;
        this.batcher = new Batcher<>("settle", props.batching().workers(), props.batching().maxSize(), this::settleAll);
    }

    CompletableFuture<Answer> submit(FirstAnswer answer) {
        return batcher.submit(answer);
    }

    /**
     * Settles first answers in one transaction and returns each payment's answer. The janitor may have
     * re-asked meanwhile (the call outlived initiatedGrace) and left an order PENDING or UNKNOWN: the first
     * answer still applies. If it settled the order, the change is refused and the answer shows the state
     * the janitor reached.
     */
    List<Answer> settleAll(List<FirstAnswer> answers) {
        return tx.execute(status -> {
            List<OrderRepository.Move> moves = answers.stream()
                    .map(a -> move(a.instruction().orderId(), a.result(), false, 0, null)).toList();
            Map<Long, Order> moved = orders.finishAndTransition(answers.stream()
                    .map(a -> new OrderRepository.AttemptOutcome(a.instruction().attemptId(), a.result().outcome().name(),
                            a.result().operatorRef(), a.result().upstreamCode(), a.result().message()))
                    .toList(), moves, OrderStatus.UNSETTLED);
            List<Long> ids = moves.stream().map(OrderRepository.Move::orderId).toList();
            Map<Long, Order> found = new HashMap<>(moved);
            List<Long> settledElsewhere = ids.stream().filter(id -> !moved.containsKey(id)).toList();
            if (!settledElsewhere.isEmpty()) {
                found.putAll(orders.findAll(settledElsewhere));
            }
            Map<Long, Answer> rendered = new LinkedHashMap<>();
            for (FirstAnswer a : answers) {
                long id = a.instruction().orderId();
                rendered.put(id, a.renderer().apply(found.get(id)));
            }
            Map<Long, Answer> standing = orders.storeAnswersIfAbsent(rendered);
            List<Order> announced = new ArrayList<>();
            List<Ledger.Resolution> resolutions = new ArrayList<>();
            for (OrderRepository.Move m : moves) {
                Order done = moved.get(m.orderId());
                if (done != null && m.to().isFinal()) {
                    announced.add(done);
                    resolutions.add(new Ledger.Resolution(m.orderId(), m.to() == OrderStatus.SUCCESS, done.commissionMinor()));
                }
            }
            announce(announced);
            // The wallet rows are locked last, for as short a time as possible before the commit.
            if (!resolutions.isEmpty()) {
                ledger.resolveAll(resolutions);
            }
            return ids.stream().map(standing::get).toList();
        });
    }

    /**
     * Applies a later answer (the janitor's, or a reviewer's decision) to one order, if it is still in one
     * of {@code from}. Must run in a transaction. A failure then is REFUNDED, and an order still unsettled
     * past the maximum age goes to NEEDS_REVIEW.
     */
    void applyLaterAnswer(long orderId, String partnerId, Set<OrderStatus> from, ConnectorResult result, int checksSoFar,
                          Instant createdAt) {
        OrderRepository.Move m = move(orderId, result, true, checksSoFar, createdAt);
        OrderRepository.Moved done = orders.transitionAll(List.of(m), from).get(orderId);
        if (done == null || !(m.to().isFinal() || m.to() == OrderStatus.NEEDS_REVIEW)) {
            return;
        }
        announce(List.of(orders.find(partnerId, orderId).orElseThrow()));
        if (m.to().isFinal()) {
            ledger.resolveAll(List.of(new Ledger.Resolution(orderId, m.to() == OrderStatus.SUCCESS, done.commissionMinor())));
        }
    }

    /**
     * The state an answer moves an order to. afterAcceptance marks an answer learned after the first one:
     * a failure then is REFUNDED, and no answer past the maximum age means NEEDS_REVIEW.
     */
    private OrderRepository.Move move(long orderId, ConnectorResult r, boolean afterAcceptance, int checksSoFar,
                                      Instant createdAt) {
        return switch (r.outcome()) {
            case SUCCESS -> new OrderRepository.Move(orderId, OrderStatus.SUCCESS, r.operatorRef(), null, null, null);
            case FAILED, NOT_SENT -> new OrderRepository.Move(orderId,
                    afterAcceptance ? OrderStatus.REFUNDED : OrderStatus.FAILED, null, r.upstreamCode(), r.message(), null);
            case PENDING, UNKNOWN -> {
                Instant now = clock.instant();
                if (afterAcceptance && !now.isBefore(createdAt.plus(resolution.maxAge()))) {
                    yield new OrderRepository.Move(orderId, OrderStatus.NEEDS_REVIEW, r.operatorRef(), r.upstreamCode(),
                            r.message(), null);
                }
                yield new OrderRepository.Move(orderId, r.outcome() == Outcome.PENDING ? OrderStatus.PENDING
                        : OrderStatus.UNKNOWN, r.operatorRef(), r.upstreamCode(), r.message(),
                        now.plus(resolution.delayAfter(checksSoFar)));
            }
        };
    }

    private void announce(List<Order> changed) {
        if (!changed.isEmpty()) {
            events.forEach(e -> e.changed(changed));
        }
    }

    @PreDestroy
    void stop() {
        batcher.close();
    }
}
