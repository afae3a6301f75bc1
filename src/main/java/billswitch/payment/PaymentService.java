package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.Router;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.shared.BillSwitchException;
import billswitch.shared.BillSwitchProperties;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path every payment takes, whichever dialect it came through:
 * replay check -> validation -> [order + hold, one transaction] -> connector (no transaction open)
 * -> [outcome + ledger post/void + stored answer, one transaction].
 */
@Service
public class PaymentService {
    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    /** Settles first answers that arrive late, one virtual thread each (the database pool bounds them). */
    private static final Executor SETTLERS = Executors.newVirtualThreadPerTaskExecutor();
    /** How long a fetched bill can be paid against. */
    static final Duration FETCH_VALIDITY = Duration.ofHours(24);

    private final OrderRepository orders;
    private final PaymentRules rules;
    private final Ledger ledger;
    private final Router router;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final List<OrderEvents> events;

    PaymentService(OrderRepository orders, PaymentRules rules, Ledger ledger, Router router,
                   TransactionTemplate tx, Clock clock, BillSwitchProperties props, List<OrderEvents> events) {
        this.orders = orders;
        this.rules = rules;
        this.ledger = ledger;
        this.router = router;
        this.tx = tx;
        this.clock = clock;
        this.resolution = props.resolution();
        this.events = events;
    }

    /** Renders an order into the calling dialect's response; the result is stored for replays. */
    public interface Renderer extends Function<Order, Answer> {
    }

    /**
     * Pays a bill or recharges a number. Expected refusals throw {@link BillSwitchException} at once and
     * move no money; once the hold is written the answer completes when the upstream has answered, holding
     * no thread and no database connection while it waits.
     */
    public CompletableFuture<Answer> pay(PayCommand command, Renderer renderer) {
        String fingerprint = fingerprint(command.fingerprint());
        Optional<OrderRepository.Earlier> earlier = orders.findEarlier(command.partnerId(), command.reference(), false);
        if (earlier.isPresent()) {
            return CompletableFuture.completedFuture(replay(command.partnerId(), earlier.get(), fingerprint, renderer));
        }
        Operator operator = rules.checkPayment(command);
        Long billFetchId = null;
        if (command.kind() == OrderKind.BILL_PAY) {
            Optional<Order> fetch = fetchedBill(command, operator);
            if (fetch.isPresent()) {
                rules.checkAgainstBill(operator, command.amount().amountMinor(), fetch.get().bill().amountMinor());
                billFetchId = fetch.get().id();
            }
        }
        long fee = operator.feeMinor(command.amount().amountMinor());
        long commission = operator.commissionMinor(command.amount().amountMinor());
        Connector connector = router.connectorFor(operator);
        Long fetchId = billFetchId;

        Optional<PaymentInstruction> placed = tx.execute(status -> {
            Optional<Long> orderId = orders.insertPayment(command, operator, fee, commission, fetchId, fingerprint,
                    clock.instant().plus(resolution.initiatedGrace()));
            if (orderId.isEmpty()) {
                return Optional.empty();
            }
            long wallet = ledger.walletId(command.partnerId(), command.amount().currency());
            ledger.hold(wallet, command.amount().currency(), command.amount().amountMinor() + fee, orderId.get());
            long attemptId = orders.insertAttempt(orderId.get(), connector.name());
            return Optional.of(new PaymentInstruction(orderId.get(), attemptId, operator, command.accountNumber(),
                    command.params(), command.amount().amountMinor(), command.channel(), clock.instant()));
        });
        if (placed.isEmpty()) {
            // A concurrent request with the same reference committed first.
            return CompletableFuture.completedFuture(replay(command.partnerId(),
                    orders.findEarlier(command.partnerId(), command.reference(), false).orElseThrow(), fingerprint, renderer));
        }
        PaymentInstruction instruction = placed.get();
        CompletableFuture<ConnectorResult> sent = send(connector, instruction);
        if (sent.isDone()) {
            return CompletableFuture.completedFuture(settleFirstAnswer(command.partnerId(), instruction, sent.join(), renderer));
        }
        return sent.thenApplyAsync(result -> settleFirstAnswer(command.partnerId(), instruction, result, renderer), SETTLERS);
    }

    /** The upstream's answer; a connector that throws or fails leaves the outcome UNKNOWN, never FAILED. */
    private CompletableFuture<ConnectorResult> send(Connector connector, PaymentInstruction instruction) {
        CompletableFuture<ConnectorResult> sent;
        try {
            sent = connector.pay(instruction);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionally(e -> {
            log.warn("Connector {} failed on order {}: outcome unknown", connector.name(), instruction.orderId(), e);
            return ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer from the operator");
        });
    }

    private Answer settleFirstAnswer(String partnerId, PaymentInstruction instruction, ConnectorResult result,
                                     Renderer renderer) {
        long orderId = instruction.orderId();
        return tx.execute(status -> {
            orders.finishAttempt(instruction.attemptId(), result.outcome().name(), result.operatorRef(),
                    result.upstreamCode(), result.message());
            // The janitor may have re-asked meanwhile (the call outlived initiatedGrace) and left the order
            // PENDING or UNKNOWN: this answer still applies. If it settled the order, the transition is refused
            // and the answer shows the state the janitor reached.
            LedgerStep step = decide(orderId, partnerId, OrderStatus.UNSETTLED, result, false, 0, clock.instant());
            Order order = orders.find(partnerId, orderId).orElseThrow();
            Answer answer = answerOnce(order, renderer);
            if (step.announce()) {
                events.forEach(e -> e.changed(order));
            }
            // The wallet row is locked last, for as short a time as possible before the commit.
            step.apply(ledger);
            return answer;
        });
    }

    /** Renders and stores the order's first answer; an answer stored before wins. In a transaction. */
    private Answer answerOnce(Order order, Renderer renderer) {
        return orders.storeAnswerIfAbsent(order.id(), renderer.apply(order));
    }

    private Answer answerOnce(String partnerId, long orderId, Renderer renderer) {
        return answerOnce(orders.find(partnerId, orderId).orElseThrow(), renderer);
    }

    /**
     * What remains once an outcome is decided: post the hold, void it, or nothing; and whether the change
     * is one partners hear about (a final state or NEEDS_REVIEW).
     */
    private record LedgerStep(Outcome kind, long orderId, Currency currency, long commissionMinor, boolean announce) {
        static final LedgerStep NONE = new LedgerStep(null, 0, null, 0, false);
        static final LedgerStep ANNOUNCE_ONLY = new LedgerStep(null, 0, null, 0, true);

        void apply(Ledger ledger) {
            if (kind == Outcome.SUCCESS) {
                ledger.post(orderId, currency, commissionMinor);
            } else if (kind == Outcome.FAILED) {
                ledger.voidHold(orderId);
            }
        }
    }

    /**
     * Applies what the upstream said to the order and the ledger, if the order is still in one of
     * {@code from}. Must run in a transaction. afterAcceptance marks an answer learned after the first
     * one (the janitor's): a failure then is REFUNDED, and an order still unsettled past the maximum age
     * goes to NEEDS_REVIEW.
     */
    void applyOutcome(long orderId, String partnerId, Set<OrderStatus> from, ConnectorResult result,
                      boolean afterAcceptance, int checksSoFar, Instant createdAt) {
        LedgerStep step = decide(orderId, partnerId, from, result, afterAcceptance, checksSoFar, createdAt);
        if (step.announce() && !events.isEmpty()) {
            Order order = orders.find(partnerId, orderId).orElseThrow();
            events.forEach(e -> e.changed(order));
        }
        step.apply(ledger);
    }

    /** Moves the order (guarded); returns the ledger step still to take and whether to announce it. */
    private LedgerStep decide(long orderId, String partnerId, Set<OrderStatus> from, ConnectorResult result,
                              boolean afterAcceptance, int checksSoFar, Instant createdAt) {
        switch (result.outcome()) {
            case SUCCESS -> {
                Optional<OrderRepository.Moved> moved =
                        orders.transition(orderId, from, OrderStatus.SUCCESS, result.operatorRef(), null, null, null);
                if (moved.isPresent()) {
                    return new LedgerStep(Outcome.SUCCESS, orderId, moved.get().currency(), moved.get().commissionMinor(), true);
                }
            }
            case FAILED, NOT_SENT -> {
                OrderStatus to = afterAcceptance ? OrderStatus.REFUNDED : OrderStatus.FAILED;
                if (orders.transition(orderId, from, to, null, result.upstreamCode(), result.message(), null).isPresent()) {
                    return new LedgerStep(Outcome.FAILED, orderId, null, 0, true);
                }
            }
            case PENDING, UNKNOWN -> {
                Instant now = clock.instant();
                if (afterAcceptance && !now.isBefore(createdAt.plus(resolution.maxAge()))) {
                    if (orders.transition(orderId, from, OrderStatus.NEEDS_REVIEW, result.operatorRef(),
                            result.upstreamCode(), result.message(), null).isPresent()) {
                        return LedgerStep.ANNOUNCE_ONLY;
                    }
                } else {
                    OrderStatus to = result.outcome() == Outcome.PENDING ? OrderStatus.PENDING : OrderStatus.UNKNOWN;
                    orders.transition(orderId, from, to, result.operatorRef(), result.upstreamCode(), result.message(),
                            now.plus(resolution.delayAfter(checksSoFar)));
                }
            }
        }
        return LedgerStep.NONE;
    }

    /** The janitor's step for one claimed order: ask the connector, then apply the answer. */
    void resolve(OrderRepository.Claim claim) {
        Order order = orders.find(claim.partnerId(), claim.orderId()).orElseThrow();
        Operator operator = catalogOperator(order);
        Connector connector = router.connectorFor(operator);
        OrderRepository.LastAttempt attempt = orders.lastAttempt(order.id()).orElseThrow();
        PaymentInstruction instruction = new PaymentInstruction(order.id(), attempt.id(), operator,
                order.accountNumber(), order.params(), order.amountMinor(), order.channel(), attempt.startedAt());
        ConnectorResult result;
        try {
            result = connector.status(instruction);
        } catch (RuntimeException e) {
            log.warn("Status enquiry for order {} failed; will ask again", order.id(), e);
            result = ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer to the status enquiry");
        }
        ConnectorResult answer = result;
        tx.executeWithoutResult(s -> applyOutcome(order.id(), order.partnerId(), OrderStatus.UNSETTLED, answer, true,
                claim.checks(), claim.createdAt()));
    }

    private Operator catalogOperator(Order order) {
        return rules.operator(order.operatorId());
    }

    /** An operator's decision on an order in NEEDS_REVIEW, with the reason recorded. */
    public Order settleReview(long orderId, boolean paid, String reason) {
        return tx.execute(s -> {
            Order order = orders.findAnyPartner(orderId)
                    .orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND));
            if (order.status() != OrderStatus.NEEDS_REVIEW) {
                throw new BillSwitchException(ErrorCode.NOT_IN_REVIEW,
                        "Order " + orderId + " is " + order.status() + ", not NEEDS_REVIEW.");
            }
            ConnectorResult decision = paid
                    ? ConnectorResult.of(Outcome.SUCCESS, null, "REVIEW", reason)
                    : ConnectorResult.of(Outcome.FAILED, null, "REVIEW", reason);
            applyOutcome(orderId, order.partnerId(), Set.of(OrderStatus.NEEDS_REVIEW), decision, true, 0, order.createdAt());
            orders.recordReview(orderId, reason);
            return orders.findAnyPartner(orderId).orElseThrow();
        });
    }

    public List<Order> ordersNeedingReview(int limit) {
        return orders.needingReview(limit);
    }

    private Optional<Order> fetchedBill(PayCommand command, Operator operator) {
        Optional<Order> fetch;
        if (command.billFetchId() != null) {
            fetch = orders.find(command.partnerId(), command.billFetchId())
                    .filter(o -> o.kind() == OrderKind.BILL_FETCH && o.operatorId().equals(operator.id())
                            && o.accountNumber().equals(command.accountNumber()));
            if (fetch.isEmpty()) {
                throw new BillSwitchException(ErrorCode.BILL_NOT_FETCHED, "Bill fetch " + command.billFetchId()
                        + " is not a fetch of this biller and account by this partner.");
            }
        } else {
            fetch = orders.latestFetch(command.partnerId(), operator.id(), command.accountNumber(),
                    clock.instant().minus(FETCH_VALIDITY));
        }
        if (fetch.isEmpty() && operator.fetchOption() == Operator.FetchOption.MANDATORY) {
            throw new BillSwitchException(ErrorCode.BILL_NOT_FETCHED,
                    operator.name() + " requires a bill fetch for this account before payment.");
        }
        return fetch;
    }

    /** Fetches a bill. A fetch moves no money; a successful one is kept as an order to pay against. */
    public Answer fetchBill(FetchCommand command, Renderer renderer) {
        String fingerprint = fingerprint(command.fingerprint());
        if (command.reference() != null) {
            Optional<OrderRepository.Earlier> earlier = orders.findEarlier(command.partnerId(), command.reference(), true);
            if (earlier.isPresent()) {
                return replay(command.partnerId(), earlier.get(), fingerprint, renderer);
            }
        }
        Operator operator = rules.checkFetch(command);
        BillResult result;
        try {
            result = router.connectorFor(operator).fetchBill(operator, command.accountNumber(), command.params());
        } catch (RuntimeException e) {
            log.warn("Bill fetch for {} failed", operator.id(), e);
            throw new BillSwitchException(ErrorCode.UPSTREAM_UNAVAILABLE, "The biller did not answer; try again.");
        }
        switch (result.outcome()) {
            case SUCCESS -> { }
            case FAILED -> throw new BillSwitchException(ErrorCode.BILL_FETCH_FAILED, result.message());
            default -> throw new BillSwitchException(ErrorCode.UPSTREAM_UNAVAILABLE, "The biller did not answer; try again.");
        }
        String reference = command.reference() != null ? command.reference() : "fetch-" + UUID.randomUUID();
        Optional<Answer> answer = tx.execute(status -> orders.insertFetch(command, reference, operator, result.bill(), fingerprint)
                .map(id -> answerOnce(command.partnerId(), id, renderer)));
        return answer.orElseGet(() -> replay(command.partnerId(), orders.findEarlier(command.partnerId(), reference, true)
                .orElseThrow(), fingerprint, renderer));
    }

    /**
     * The answer to a repeated reference. An order whose first answer was never given (its process died
     * mid-call and the janitor settled it) is answered with its current state, which then stays its answer.
     */
    private Answer replay(String partnerId, OrderRepository.Earlier earlier, String fingerprint, Renderer renderer) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
        if (earlier.answerBody() != null) {
            return new Answer(earlier.answerStatus(), earlier.answerBody());
        }
        Order order = orders.find(partnerId, earlier.id()).orElseThrow();
        if (order.status() == OrderStatus.INITIATED) {
            throw new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS);
        }
        return tx.execute(s -> answerOnce(partnerId, earlier.id(), renderer));
    }

    /** The partner's order by our id. */
    public Order order(String partnerId, long orderId) {
        return orders.find(partnerId, orderId).orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND));
    }

    /** The partner's payment (not fetch) by its reference. */
    public Order orderByReference(String partnerId, String reference) {
        return orders.findByReference(partnerId, reference, false)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND));
    }

    private static String fingerprint(String canonical) {
        return Hmac.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    }
}
