package billswitch.payment;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.ledger.PendingHold;
import billswitch.ledger.TransferCommand;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.db.Pipeline;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Applies what upstreams said to orders and the ledger: the first answers of many payments (attempts,
 * guarded state changes, stored answers, webhook events, recorded in the batch transaction of
 * {@link Batches}, whose ledger call then posts or voids their holds), and the janitor's or a reviewer's
 * later answers one at a time.
 */
@Component
class Settlements {
    /**
     * The upstream's first answer to a payment placed as {@code placed} with {@code hold}, how its dialect
     * renders the answer, and, worked out by {@link #firstAnswer} on the caller's thread before the batch:
     * the state change, the order as it will be once changed and its rendered answer, which the batch only
     * has to store.
     */
    record FirstAnswer(Order placed, PendingHold hold, PaymentInstruction instruction, ConnectorResult result,
                       PaymentService.Renderer renderer, OrderRepository.Move move, Order moved, Answer answer)
            implements Batches.Step {
    }

    /** Where the janitor may have left an order it re-asked before the first answer came. */
    private static final Set<OrderStatus> REASKED = EnumSet.of(OrderStatus.PENDING, OrderStatus.UNKNOWN);

    private final OrderRepository orders;
    private final Ledger ledger;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final List<OrderEvents> events;

    Settlements(OrderRepository orders, Ledger ledger, Clock clock, BillSwitchProperties props,
                List<OrderEvents> events) {
        this.orders = orders;
        this.ledger = ledger;
        this.clock = clock;
        this.resolution = props.resolution();
        this.events = events;
    }

    /**
     * Works out what the upstream's first answer does to the order placed as {@code placed}, and renders the
     * answer from the order so changed. Runs on the caller's thread, so the batch that records the answer
     * spends no time on it.
     */
    FirstAnswer firstAnswer(Placements.Held held, PaymentInstruction instruction, ConnectorResult result,
                            PaymentService.Renderer renderer) {
        Order placed = held.order();
        OrderRepository.Move m = move(placed.id(), result, false, 0, null);
        Order moved = placed.movedTo(m.to(), m.operatorRef(), m.failureCode(), m.failureMessage(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new FirstAnswer(placed, held.hold(), instruction, result, renderer, m, moved, renderer.apply(moved));
    }

    /** First answers recorded, with the holds the ledger is to post or void and the answers that stand. */
    record Recorded(List<TransferCommand> resolutions, List<Answer> answers) {
    }

    /** First answers being recorded by a pipeline's statement. */
    final class Recording {
        private final List<FirstAnswer> answers;
        private final Pipeline.Rows<OrderRepository.FirstSettled> rows;

        private Recording(List<FirstAnswer> answers, Pipeline.Rows<OrderRepository.FirstSettled> rows) {
            this.answers = answers;
            this.rows = rows;
        }

        /** The holds of the payments answered: their accounts are to be locked with the batch's first statements. */
        List<PendingHold> holds() {
            return answers.stream().map(FirstAnswer::hold).toList();
        }

        /** Once the pipeline has run: what the ledger is to do and what each payment's answer is. */
        Recorded recorded() {
            return rows == null ? new Recorded(List.of(), List.of()) : Settlements.this.recorded(answers, rows.list());
        }
    }

    /**
     * Adds to the pipeline the statement recording first answers (in the caller's transaction); once it has
     * run, {@link Recording#recorded} says what the ledger is to do and what each payment's answer is, and
     * the caller resolves the holds in the same transaction. An order still INITIATED is exactly as it was
     * placed, so its answer is rendered from the placed order and stored by the same statement that records
     * the attempt and moves the order. The janitor may have re-asked meanwhile (the call outlived
     * initiatedGrace) and left an order PENDING or UNKNOWN: the first answer still applies, rendered from
     * the order as the database has it. If the janitor settled the order, the change is refused and the
     * answer shows the state the janitor reached.
     */
    Recording record(Pipeline pipeline, List<FirstAnswer> answers) {
        return new Recording(answers, answers.isEmpty() ? null : orders.settleFirstAnswers(pipeline, answers));
    }

    private Recorded recorded(List<FirstAnswer> answers, List<OrderRepository.FirstSettled> rows) {
        Map<Long, OrderRepository.FirstSettled> settled = new HashMap<>();
        rows.forEach(r -> settled.put(r.orderId(), r));
        Map<Long, Answer> standing = new HashMap<>();
        List<Order> announced = new ArrayList<>();
        Set<String> listening = new HashSet<>();
        List<TransferCommand> resolutions = new ArrayList<>();
        List<FirstAnswer> reasked = new ArrayList<>();
        for (FirstAnswer a : answers) {
            OrderRepository.Move m = a.move();
            OrderRepository.FirstSettled done = settled.get(m.orderId());
            if (done == null) {
                reasked.add(a);
                continue;
            }
            standing.put(m.orderId(), done.answer());
            if (m.to().isFinal()) {
                announced.add(a.moved());
                if (done.partnerListens()) {
                    listening.add(a.moved().partnerId());
                }
                resolutions.add(resolution(a.hold(), m.to(), a.moved().commissionMinor()));
            }
        }
        announce(announced, listening);
        if (!reasked.isEmpty()) {
            List<Order> reaskedAnnounced = new ArrayList<>();
            settleReasked(reasked, clock.instant().truncatedTo(ChronoUnit.MICROS), standing, reaskedAnnounced,
                    resolutions);
            announce(reaskedAnnounced, null);
        }
        return new Recorded(resolutions, answers.stream().map(a -> standing.get(a.placed().id())).toList());
    }

    /**
     * The first answers of orders the janitor touched since they were placed: rendered from the database.
     * Their holds are still the ones carried from the placement (only a final state resolves a hold, and
     * the janitor's moves to final ones are refused here), so their accounts are among those locked.
     */
    private void settleReasked(List<FirstAnswer> reasked, Instant at, Map<Long, Answer> standing, List<Order> announced,
                               List<TransferCommand> resolutions) {
        Map<Long, Order> moved = orders.transitionReturningOrders(reasked.stream().map(FirstAnswer::move).toList(),
                REASKED, at);
        Map<Long, Order> found = new HashMap<>(moved);
        List<Long> settledElsewhere = reasked.stream().map(a -> a.placed().id()).filter(id -> !moved.containsKey(id)).toList();
        if (!settledElsewhere.isEmpty()) {
            found.putAll(orders.findAll(settledElsewhere));
        }
        Map<Long, Answer> rendered = new LinkedHashMap<>();
        for (FirstAnswer a : reasked) {
            long id = a.placed().id();
            if (found.containsKey(id)) {
                rendered.put(id, a.renderer().apply(found.get(id)));
            }
        }
        standing.putAll(orders.storeAnswersIfAbsent(rendered));
        for (FirstAnswer a : reasked) {
            Order order = moved.get(a.placed().id());
            if (order != null && a.move().to().isFinal()) {
                announced.add(order);
                resolutions.add(resolution(a.hold(), a.move().to(), order.commissionMinor()));
            }
        }
    }

    private static PendingHold holdOf(PendingHold hold, long orderId) {
        if (hold == null) {
            throw new IllegalStateException("order " + orderId + " has no hold");
        }
        return hold;
    }

    /**
     * Applies a later answer (the janitor's, or a reviewer's decision) to one order, if it is still in one
     * of {@code from}. Must run in a transaction. A failure then is REFUNDED, and an order still unsettled
     * past the maximum age goes to NEEDS_REVIEW.
     */
    void applyLaterAnswer(long orderId, String partnerId, Set<OrderStatus> from, ConnectorResult result, int checksSoFar,
                          Instant createdAt) {
        OrderRepository.Move m = move(orderId, result, true, checksSoFar, createdAt);
        OrderRepository.Moved done = orders.transitionAll(List.of(m), from, clock.instant().truncatedTo(ChronoUnit.MICROS)).get(orderId);
        if (done == null || !(m.to().isFinal() || m.to() == OrderStatus.NEEDS_REVIEW)) {
            return;
        }
        announce(List.of(orders.find(partnerId, orderId).orElseThrow()), null);
        if (m.to().isFinal()) {
            PendingHold hold = holdOf(ledger.pendingHolds(List.of(orderId)).get(orderId), orderId);
            ledger.execute(List.of(resolution(hold, m.to(), done.commissionMinor())));
        }
    }

    /** What the ledger does with a hold whose order reached a final state: SUCCESS posts it, anything else voids it. */
    private static TransferCommand resolution(PendingHold hold, OrderStatus to, long commissionMinor) {
        return to == OrderStatus.SUCCESS ? new TransferCommand.Post(hold, commissionMinor) : new TransferCommand.Void(hold);
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

    /** Tells the listeners; {@code listening} as in {@link OrderEvents#changed}. */
    private void announce(List<Order> changed, Set<String> listening) {
        if (!changed.isEmpty()) {
            events.forEach(e -> e.changed(changed, listening));
        }
    }
}
