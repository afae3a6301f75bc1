package billswitch.payment;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.db.AfterCommit;
import billswitch.infra.db.Pipeline;
import billswitch.ledger.Ledger;
import billswitch.ledger.PendingHold;
import billswitch.ledger.Results;
import billswitch.ledger.TransferCommand;
import billswitch.payment.OrderStateMachine.Input;
import billswitch.payment.OrderStateMachine.State;
import billswitch.payment.OrderStateMachine.Transition;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Applies what upstreams said, and what reviewers decided, to orders and the ledger, each change as
 * {@link OrderStateMachine} declares it: the first answers of many payments (attempts, guarded state
 * changes, stored answers, webhook events, recorded in the batch transaction of {@link Batches}, whose ledger
 * call then posts or voids their holds), and later answers (the janitor's, an upstream's callback, a
 * reviewer's decision) one at a time.
 */
@Component
class Settlements {
    /**
     * The upstream's first answer to a payment placed as {@code placed} with {@code hold}, how its dialect
     * renders the answer, and, worked out by {@link #firstAnswer} on the caller's thread before the batch:
     * the state change, the order as it will be once changed and its rendered answer, which the batch only
     * has to store.
     */
    record FirstAnswer(Order placed, PendingHold hold, PaymentInstruction instruction, UpstreamTerms terms,
                       ConnectorResult result, PaymentService.Renderer renderer, OrderRepository.Move move, Order moved,
                       Answer answer) implements Batches.Step {
        /** The connector that answered: the attempt's. */
        String connector() {
            return terms.connector();
        }
    }

    /** The failure code a reviewer's "not paid" records, beside the reviewer's reason. */
    private static final String REVIEW_CODE = "REVIEW";
    /** The failure code a refund after a complaint records, beside the complaint's resolution. */
    private static final String COMPLAINT_CODE = "COMPLAINT";

    private final OrderRepository orders;
    private final Ledger ledger;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final List<OrderEvents> events;
    private final PaymentMetrics metrics;

    Settlements(OrderRepository orders, Ledger ledger, Clock clock, BillSwitchProperties props,
                List<OrderEvents> events, PaymentMetrics metrics) {
        this.metrics = metrics;
        this.orders = orders;
        this.ledger = ledger;
        this.clock = clock;
        this.resolution = props.resolution();
        this.events = events;
    }

    /**
     * Works out what the upstream's first answer does to the order placed as {@code placed} (still INITIATED,
     * as placed: the table has a change for every outcome), and renders the answer from the order so changed.
     * Runs on the caller's thread, so the batch that records the answer spends no time on it.
     */
    FirstAnswer firstAnswer(Placements.Held held, PaymentInstruction instruction, UpstreamTerms terms,
                            ConnectorResult result, PaymentService.Renderer renderer) {
        Order placed = held.order();
        Transition t = OrderStateMachine.next(State.INITIATED, Input.of(result.outcome())).orElseThrow(
                () -> new IllegalStateException("no change declared for INITIATED x " + result.outcome()));
        OrderRepository.Move m = move(placed.id(), t, result.operatorRef(), result.upstreamCode(), result.message(), 0,
                placed.createdAt());
        Order moved = placed.movedTo(m.to(), m.operatorRef(), m.failureCode(), m.failureMessage(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new FirstAnswer(placed, held.hold(), instruction, terms, result, renderer, m, moved,
                renderer.apply(moved));
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

        /**
         * The holds of the payments answered: their accounts are to be locked with the batch's first statements, with
         * those of the split of each a success may post (no read: the answering attempt's terms came with it).
         */
        List<Ledger.Resolving> holds() {
            return answers.stream().map(a -> new Ledger.Resolving(a.hold(),
                    a.result().outcome() == Outcome.SUCCESS ? a.connector() : null)).toList();
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
     * the attempt and moves the order. An order another actor moved meanwhile (the janitor re-asked it: the
     * call outlived initiatedGrace) is moved from the state it is in now, as the table says for that state,
     * and its answer rendered from the order as the database has it.
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
            if (m.transition().announced()) {
                announced.add(a.moved());
                if (done.partnerListens()) {
                    listening.add(a.moved().partnerId());
                }
            }
            holdCommand(m.transition().ledger(), a.hold(), a.moved(), a.terms()).ifPresent(resolutions::add);
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
     * The first answers of orders another actor moved since they were placed: locked and read in the state they
     * are in now, moved as the table says for that state, answered from the database. Their holds are still
     * the ones carried from the placement, so their accounts are among those locked: an upstream's answer
     * only ever posts or voids a hold, and only a hold no change resolved before.
     */
    private void settleReasked(List<FirstAnswer> reasked, Instant at, Map<Long, Answer> standing, List<Order> announced,
                               List<TransferCommand> resolutions) {
        Map<Long, OrderRepository.Current> current = orders.lockForChange(reasked.stream().map(a -> a.placed().id()).toList());
        Map<Long, FirstAnswer> byOrder = new HashMap<>();
        List<OrderRepository.Move> moves = new ArrayList<>();
        for (FirstAnswer a : reasked) {
            long id = a.placed().id();
            byOrder.put(id, a);
            ConnectorResult r = a.result();
            OrderStateMachine.next(currentOf(current, id).state(), Input.of(r.outcome()))
                    .ifPresent(t -> moves.add(move(id, t, r.operatorRef(), r.upstreamCode(), r.message(), 0,
                            a.placed().createdAt())));
        }
        Map<Long, Order> moved = orders.transition(moves, at);
        Map<Long, Answer> rendered = new LinkedHashMap<>();
        for (FirstAnswer a : reasked) {
            long id = a.placed().id();
            rendered.put(id, a.renderer().apply(moved.containsKey(id) ? moved.get(id) : currentOf(current, id).order()));
        }
        standing.putAll(orders.storeAnswersIfAbsent(rendered));
        for (OrderRepository.Move m : moves) {
            Order order = movedOrder(moved, m);
            if (m.transition().announced()) {
                announced.add(order);
            }
            holdCommand(m.transition().ledger(), byOrder.get(m.orderId()).hold(), order, byOrder.get(m.orderId()).terms())
                    .ifPresent(resolutions::add);
        }
    }

    private static OrderRepository.Current currentOf(Map<Long, OrderRepository.Current> current, long orderId) {
        OrderRepository.Current c = current.get(orderId);
        if (c == null) {
            throw new IllegalStateException("order " + orderId + " has vanished");
        }
        return c;
    }

    /** The order a move applied to: its row was locked in the state the move starts from, so the guard passed. */
    private static Order movedOrder(Map<Long, Order> moved, OrderRepository.Move m) {
        Order order = moved.get(m.orderId());
        if (order == null) {
            throw new IllegalStateException("order " + m.orderId() + " locked in " + m.transition().from() + " was not moved");
        }
        return order;
    }

    /** What came after an order's first answer: an upstream's word, or a reviewer's decision. */
    sealed interface LaterAnswer {
        /**
         * An upstream's answer, from the janitor's status enquiry or an upstream's callback; {@code checksSoFar}:
         * how many times the janitor has asked, which sets when it asks next; {@code connector}: whose answer it is.
         */
        record Upstream(ConnectorResult result, int checksSoFar, String connector) implements LaterAnswer {
        }

        /** A reviewer's decision on an order in review, and the reason recorded with it. */
        record Review(boolean paid, String reason) implements LaterAnswer {
        }

        /** A settled payment refunded because a complaint about it was resolved so; the reason recorded with it. */
        record ComplaintRefund(String reason) implements LaterAnswer {
        }
    }

    /**
     * Applies a later answer to one order, from the state the order is in (read here, its row locked), as
     * {@link OrderStateMachine} declares: moves it, moves its money, tells its listeners. Must run in a
     * transaction. Returns the order as moved, or empty when the table refuses the change (nothing changes).
     * A charge the partner's wallet cannot cover throws INSUFFICIENT_FUNDS and the caller's transaction
     * rolls back: nothing moves. A status enquiry that never left (NOT_SENT) tells nothing of the payment and
     * counts as UNKNOWN; still no settling answer past the maximum age is MAX_AGE_PASSED. An upstream's answer
     * about a payment refunded by a complaint changes nothing: the payment had succeeded, the upstream said so
     * before, and the complaint's resolution was decided knowing it (a repeated SUCCESS callback must not contest
     * that refund and charge the partner again).
     */
    Optional<Order> applyLaterAnswer(long orderId, LaterAnswer answer) {
        OrderRepository.Current current = currentOf(orders.lockForChange(List.of(orderId)), orderId);
        if (answer instanceof LaterAnswer.Upstream && current.state() == State.REFUNDED
                && COMPLAINT_CODE.equals(current.order().failureCode())) {
            return Optional.empty();
        }
        Optional<Transition> next = OrderStateMachine.next(current.state(), input(answer, current.order()));
        if (next.isEmpty()) {
            return Optional.empty();
        }
        Transition t = next.get();
        OrderRepository.Move m = switch (answer) {
            case LaterAnswer.Upstream u -> move(orderId, t, u.result().operatorRef(), u.result().upstreamCode(),
                    u.result().message(), u.checksSoFar(), current.order().createdAt());
            case LaterAnswer.Review r -> move(orderId, t, null, REVIEW_CODE, r.reason(), 0, current.order().createdAt());
            case LaterAnswer.ComplaintRefund c -> move(orderId, t, null, COMPLAINT_CODE, c.reason(), 0,
                    current.order().createdAt());
        };
        Order moved = movedOrder(orders.transition(List.of(m), clock.instant().truncatedTo(ChronoUnit.MICROS)), m);
        Optional<TransferCommand> command = switch (t.ledger()) {
            case NONE -> Optional.empty();
            case VOID_HOLD -> holdCommand(t.ledger(), ledger.pendingHolds(List.of(orderId)).get(orderId), moved, null);
            case POST_HOLD -> holdCommand(t.ledger(), ledger.pendingHolds(List.of(orderId)).get(orderId), moved,
                    settlingTerms(orderId));
            case CHARGE_AGAIN -> Optional.of(new TransferCommand.Charge(orderId,
                    ledger.walletId(moved.partnerId(), moved.currency()), moved.currency(), moved.debitMinor(),
                    settlingTerms(orderId).split(moved.price())));
            case REVERSE -> Optional.of(ledger.reversal(orderId, ledger.walletId(moved.partnerId(), moved.currency()),
                    moved.currency()).orElseThrow(() -> new IllegalStateException("order " + orderId
                    + " is SUCCESS with no posted transfer left to reverse")));
        };
        if (command.isPresent()) {
            Results done = ledger.execute(List.of(command.get()));
            if (!done.result(0).ok() && t.ledger() == OrderStateMachine.LedgerAction.REVERSE) {
                throw new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS, "Refunding order " + orderId + " takes back"
                        + " what the partner's wallet got for it (its commission) and the wallet has "
                        + moved.currency().format(done.openingMinor(0)) + " " + moved.currency()
                        + " available. Nothing was changed.");
            }
            if (!done.result(0).ok()) {
                throw new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS, "Order " + orderId + " was refunded before:"
                        + " charging it again takes " + moved.currency().format(moved.debitMinor()) + " "
                        + moved.currency() + " and the partner's wallet has " + moved.currency().format(done.openingMinor(0))
                        + " available. Nothing was changed; settle it again once the wallet covers it.");
            }
        }
        if (t.announced()) {
            announce(List.of(moved), null);
        }
        if (moved.status() != current.state().status() && (moved.status().isFinal() || moved.status() == OrderStatus.NEEDS_REVIEW)) {
            String connector = switch (answer) {
                case LaterAnswer.Upstream u -> u.connector();
                case LaterAnswer.Review r -> orders.lastAttempt(orderId).map(OrderRepository.AttemptRow::connector).orElse(null);
                case LaterAnswer.ComplaintRefund c -> orders.lastAttempt(orderId).map(OrderRepository.AttemptRow::connector).orElse(null);
            };
            AfterCommit.run(() -> metrics.reached(moved, connector));
        }
        return Optional.of(moved);
    }

    /**
     * The terms of the upstream whose success settles an order later: its latest attempt's (a later answer is only
     * ever applied for the latest attempt), as fixed when that attempt was made.
     */
    private UpstreamTerms settlingTerms(long orderId) {
        return orders.lastAttempt(orderId).map(OrderRepository.AttemptRow::terms)
                .orElseThrow(() -> new IllegalStateException("order " + orderId + " has no attempt"));
    }

    /** The input a later answer is to an order created at {@code order.createdAt()}. */
    private Input input(LaterAnswer answer, Order order) {
        return switch (answer) {
            case LaterAnswer.Review r -> r.paid() ? Input.REVIEWED_PAID : Input.REVIEWED_NOT_PAID;
            case LaterAnswer.ComplaintRefund c -> Input.COMPLAINT_REFUNDED;
            case LaterAnswer.Upstream u -> switch (u.result().outcome()) {
                case SUCCESS -> Input.SUCCESS;
                case FAILED -> Input.FAILED;
                case PENDING, UNKNOWN, NOT_SENT -> {
                    if (!clock.instant().isBefore(order.createdAt().plus(resolution.maxAge()))) {
                        yield Input.MAX_AGE_PASSED;
                    }
                    yield u.result().outcome() == Outcome.PENDING ? Input.PENDING : Input.UNKNOWN;
                }
            };
        };
    }

    /**
     * The command resolving an order's hold as a change declares: POST_HOLD posts it, split as the order's price
     * and the terms of the upstream that made it say, VOID_HOLD voids it, NONE moves nothing. CHARGE_AGAIN (a
     * reviewer's, never an upstream's) has no hold to resolve: {@link #applyLaterAnswer} charges the wallet.
     */
    private static Optional<TransferCommand> holdCommand(OrderStateMachine.LedgerAction action, PendingHold hold,
                                                         Order order, UpstreamTerms terms) {
        return switch (action) {
            case NONE -> Optional.empty();
            case POST_HOLD -> Optional.of(new TransferCommand.Post(holdOf(hold, order.id()), terms.split(order.price())));
            case VOID_HOLD -> Optional.of(new TransferCommand.Void(holdOf(hold, order.id())));
            case CHARGE_AGAIN -> throw new IllegalStateException("order " + order.id() + ": charging again resolves no hold");
            case REVERSE -> throw new IllegalStateException("order " + order.id() + ": a reversal resolves no hold");
        };
    }

    private static PendingHold holdOf(PendingHold hold, long orderId) {
        if (hold == null) {
            throw new IllegalStateException("order " + orderId + " has no hold");
        }
        return hold;
    }

    /**
     * The state change a transition makes to an order, with what the answer said: a success keeps its
     * reference, a failure its code and message, an answer still pending all three and when to ask next.
     */
    private OrderRepository.Move move(long orderId, Transition t, String operatorRef, String code, String message,
                                      int checksSoFar, Instant createdAt) {
        return switch (t.to()) {
            case SUCCESS -> new OrderRepository.Move(orderId, t, operatorRef, null, null, null);
            case FAILED, REFUNDED -> new OrderRepository.Move(orderId, t, null, code, message, null);
            case PENDING, UNKNOWN -> new OrderRepository.Move(orderId, t, operatorRef, code, message,
                    nextCheck(checksSoFar, createdAt));
            case NEEDS_REVIEW, REFUND_CONTESTED -> new OrderRepository.Move(orderId, t, operatorRef, code, message, null);
            case INITIATED -> throw new IllegalStateException("no order goes back to INITIATED");
        };
    }

    /**
     * When the janitor next asks about an unsettled order: on its schedule, but never before the initiated grace
     * has passed since the order was placed. Before then a request of ours may still be on its way to the upstream
     * (or still be failing over), and an upstream that has no record of it yet would be read as "not found".
     */
    private Instant nextCheck(int checksSoFar, Instant createdAt) {
        Instant scheduled = clock.instant().plus(resolution.delayAfter(checksSoFar));
        Instant earliest = createdAt.plus(resolution.initiatedGrace());
        return scheduled.isBefore(earliest) ? earliest : scheduled;
    }

    /** Tells the listeners; {@code listening} as in {@link OrderEvents#changed}. */
    private void announce(List<Order> changed, Set<String> listening) {
        if (!changed.isEmpty()) {
            events.forEach(e -> e.changed(changed, listening));
        }
    }
}
