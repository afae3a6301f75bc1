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
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path every payment takes, whichever dialect it came through:
 * replay check -> validation -> [order + hold + attempt, in one transaction shared with the other payments
 * placed and settled at the same moment] -> connector (no transaction open) -> [outcome + stored answer +
 * ledger post/void, in such a shared transaction]. See {@link Batches}, {@link Placements}, {@link Settlements}.
 */
@Service
public class PaymentService {
    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    /** How long a fetched bill can be paid against. */
    static final Duration FETCH_VALIDITY = Duration.ofHours(24);

    private final OrderRepository orders;
    private final PaymentRules rules;
    private final Ledger ledger;
    private final Router router;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final Batches batches;
    private final Settlements settlements;

    PaymentService(OrderRepository orders, PaymentRules rules, Ledger ledger, Router router, TransactionTemplate tx,
                   Clock clock, BillSwitchProperties props, Batches batches, Settlements settlements) {
        this.orders = orders;
        this.rules = rules;
        this.ledger = ledger;
        this.router = router;
        this.tx = tx;
        this.clock = clock;
        this.resolution = props.resolution();
        this.batches = batches;
        this.settlements = settlements;
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
        // A repeated reference is found when its insert conflicts (Duplicate below), or here when the
        // request no longer passes validation: either way it is answered as the replay it is. No lookup
        // before: for nearly every payment it would find nothing, at one database round trip each.
        Operator operator;
        Long billFetchId = null;
        try {
            operator = rules.checkPayment(command);
            if (command.kind() == OrderKind.BILL_PAY) {
                Optional<Order> fetch = fetchedBill(command, operator);
                if (fetch.isPresent()) {
                    rules.checkAgainstBill(operator, command.amount().amountMinor(), fetch.get().bill().amountMinor());
                    billFetchId = fetch.get().id();
                }
            }
        } catch (BillSwitchException refused) {
            Optional<OrderRepository.Earlier> earlier = orders.findEarlier(command.partnerId(), command.reference(), false);
            if (earlier.isPresent()) {
                return CompletableFuture.completedFuture(replay(command.partnerId(), earlier.get(), fingerprint, renderer));
            }
            throw refused;
        }
        long fee = operator.feeMinor(command.amount().amountMinor());
        long commission = operator.commissionMinor(command.amount().amountMinor());
        Connector connector = router.connectorFor(operator);
        OrderRepository.NewPayment payment = new OrderRepository.NewPayment(command, operator.id(), fee, commission,
                billFetchId, fingerprint, clock.instant().plus(resolution.initiatedGrace()), connector.name());
        long wallet = ledger.walletId(command.partnerId(), command.amount().currency());
        Sending sending = new Sending(connector, operator, command, renderer);
        Placements.Placed placed = await(batches.place(new Placements.Placement(payment, wallet,
                command.amount().amountMinor() + fee, sending)).thenCompose(sending::untilSettled));
        Placements.Held held = switch (placed) {
            case Placements.Held h -> h;
            case Placements.Refused refused -> throw new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS);
            // A concurrent request with the same reference committed first.
            case Placements.Duplicate duplicate -> null;
        };
        if (held == null) {
            return CompletableFuture.completedFuture(replay(command.partnerId(),
                    orders.findEarlier(command.partnerId(), command.reference(), false).orElseThrow(), fingerprint, renderer));
        }
        return sending.answer(held);
    }

    /**
     * A payment's upstream call, started by the batch that committed its hold ({@link Placements.AfterHold}),
     * and its first answer: an operator that answered at once is already queued for the next batch by then.
     * Fields are written by the batch's worker before it answers the placement, and read after.
     */
    private final class Sending implements Placements.AfterHold {
        private final Connector connector;
        private final Operator operator;
        private final PayCommand command;
        private final Renderer renderer;
        private PaymentInstruction instruction;
        private CompletableFuture<ConnectorResult> sent;
        private CompletableFuture<Answer> settled;

        Sending(Connector connector, Operator operator, PayCommand command, Renderer renderer) {
            this.connector = connector;
            this.operator = operator;
            this.command = command;
            this.renderer = renderer;
        }

        /** On the batch's worker: send, and queue an answer that is there at once. Never blocks. */
        @Override
        public void held(Placements.Held held) {
            instruction = new PaymentInstruction(held.orderId(), held.attemptId(), operator, command.accountNumber(),
                    command.params(), command.amount().amountMinor(), command.channel(), clock.instant());
            sent = send(connector, instruction);
            if (sent.isDone()) {
                settled = settle(held, sent.join(), true);
            }
        }

        /**
         * On the batch's worker, as it answers the placement: when the operator answered at once, the placement
         * is answered to the request's thread only once that answer is settled too, by the next batch. The
         * thread then wakes once for its payment, not twice (once to find its answer queued, and wait again).
         * A settlement that failed is rethrown by {@link #answer}, as when the thread waited on it itself.
         */
        CompletableFuture<Placements.Placed> untilSettled(Placements.Placed placed) {
            return settled == null ? CompletableFuture.completedFuture(placed) : settled.handle((answer, failure) -> placed);
        }

        /** On the request's thread, once placed: the payment's answer (sending it if no batch did). */
        CompletableFuture<Answer> answer(Placements.Held held) {
            if (sent == null) {
                held(held);
            }
            if (settled == null && sent.isDone()) {
                // Answered since the batch sent it (or the batch failed to queue the answer): settle from here.
                settled = settle(held, sent.join(), true);
            }
            if (settled != null) {
                // An operator that answered at once: answered on this thread, no asynchronous dispatch.
                return CompletableFuture.completedFuture(await(settled));
            }
            return sent.thenCompose(result -> settle(held, result, false));
        }

        /** Queues the upstream's first answer for the next batch; {@code awaited}: this request's thread waits for it. */
        private CompletableFuture<Answer> settle(Placements.Held held, ConnectorResult result, boolean awaited) {
            Settlements.FirstAnswer answer = settlements.firstAnswer(held, instruction, result, renderer);
            return awaited ? batches.settleAwaited(answer) : batches.settle(answer);
        }
    }

    /**
     * Waits for a batch's answer on this thread, rethrowing what the batch threw for this item; once awake,
     * hands the other answers of that batch to their threads ({@link Batcher}).
     */
    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } finally {
            batches.handOut();
        }
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

    /** Renders and stores the order's first answer; an answer stored before wins. In a transaction. */
    private Answer answerOnce(String partnerId, long orderId, Renderer renderer) {
        return orders.storeAnswerIfAbsent(orderId, renderer.apply(orders.find(partnerId, orderId).orElseThrow()));
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
        tx.executeWithoutResult(s -> settlements.applyLaterAnswer(order.id(), order.partnerId(), OrderStatus.UNSETTLED,
                answer, claim.checks(), claim.createdAt()));
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
            settlements.applyLaterAnswer(orderId, order.partnerId(), Set.of(OrderStatus.NEEDS_REVIEW), decision, 0,
                    order.createdAt());
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
