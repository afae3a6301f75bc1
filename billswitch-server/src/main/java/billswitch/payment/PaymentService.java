package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.pricing.Price;
import billswitch.pricing.Pricing;
import billswitch.routing.Route;
import billswitch.routing.Router;
import billswitch.infra.db.ReplayLog;
import billswitch.infra.logging.PaymentMdc;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ReplayMark;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Payments, bill fetches and what comes after them: {@link #pay} is the one path every payment takes,
 * whichever dialect it came through (validate, idempotency, hold, send, settle, answer); {@link #fetchBill};
 * the janitor's status enquiry ({@link #resolve}) and a reviewer's decision ({@link #settleReview}).
 */
@Service
public class PaymentService {
    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    /** How long a fetched bill can be paid against. */
    static final Duration FETCH_VALIDITY = Duration.ofHours(24);

    /** Where failovers are written: off the batch's worker and the connectors' threads. */
    private static final Executor FAILOVERS = Executors.newVirtualThreadPerTaskExecutor();
    /** A failover must end this long before the janitor may first ask about the order. */
    static final Duration FAILOVER_MARGIN = Duration.ofSeconds(1);
    /**
     * The longest a request's thread waits for its payment's batch (placed, and settled when the operator answered
     * at once); then the partner is told REQUEST_IN_PROGRESS and asks again with the same reference (the payment
     * goes on). Batches take milliseconds; this only bounds a worker that has stopped answering.
     */
    static final Duration BATCH_ANSWER_WAIT = Duration.ofSeconds(30);
    /** Added to the router's longest call when waiting on one: the router's own cut comes first. */
    private static final Duration CALL_SLACK = Duration.ofSeconds(1);

    private final OrderRepository orders;
    private final PaymentRules rules;
    private final AttemptReferences references;
    private final Ledger ledger;
    private final Router router;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillSwitchProperties.Resolution resolution;
    private final Batches batches;
    private final Settlements settlements;
    private final ReplayLog replays;
    private final PaymentMetrics metrics;
    private final Pricing pricing;

    PaymentService(OrderRepository orders, PaymentRules rules, Ledger ledger, Router router, TransactionTemplate tx,
                   Clock clock, BillSwitchProperties props, Batches batches, Settlements settlements,
                   AttemptReferences references, ReplayLog replays, PaymentMetrics metrics, Pricing pricing) {
        this.pricing = pricing;
        this.orders = orders;
        this.metrics = metrics;
        this.replays = replays;
        this.references = references;
        this.rules = rules;
        this.ledger = ledger;
        this.router = router;
        this.tx = tx;
        this.clock = clock;
        this.resolution = props.resolution();
        this.batches = batches;
        this.settlements = settlements;
    }

    /** Records the mark of a payment that does not reach its batch; REPLAYED_REQUEST if it was recorded before. */
    private void recordApart(ReplayMark mark) {
        if (mark != null && !replays.firstUse(mark)) {
            replays.rememberReplay(mark);
            throw new BillSwitchException(ErrorCode.REPLAYED_REQUEST);
        }
    }

    /** Renders an order into the calling dialect's response; the result is stored for replays. */
    public interface Renderer extends Function<Order, Answer> {
    }

    /**
     * Pays a bill or recharges a number: the one path every payment takes, whichever dialect it came
     * through. Expected refusals throw {@link BillSwitchException} at once and move no money; once the hold
     * is written the answer completes when the upstream has answered, holding no thread and no database
     * connection while it waits.
     * <p>
     * Steps 2-5 run in {@link Batches}, a mechanism this method can be read without: it gathers the payments
     * of the moment into one transaction per step, on its own worker thread, and hands each payment back here.
     */
    public CompletableFuture<Answer> pay(PayCommand command, Renderer renderer) {
        return pay(command, renderer, null);
    }

    /**
     * As {@link #pay(PayCommand, Renderer)}, for a signed request whose replay mark ({@code mark}, not null) has not
     * been recorded yet: the payment's batch records it in its own transaction (no round trip of its own), and a
     * payment refused before its batch records it apart before it is answered. A mark recorded before, on any node,
     * answers REPLAYED_REQUEST and pays nothing.
     */
    public CompletableFuture<Answer> pay(PayCommand command, Renderer renderer, ReplayMark mark) {
        metrics.started();
        PaymentMdc.payment(command.partnerId(), command.reference());
        CompletableFuture<Answer> answer = null;
        try {
            answer = payCounted(command, renderer, mark);
            return answer;
        } finally {
            PaymentMdc.clear();
            if (answer == null || answer.isDone()) {
                metrics.ended();
            } else {
                answer.whenComplete((a, e) -> metrics.ended());
            }
        }
    }

    private CompletableFuture<Answer> payCounted(PayCommand command, Renderer renderer, ReplayMark mark) {
        String fingerprint = fingerprint(command.fingerprint());
        // 1. Validate: the operator, the call's fields, the amount against its limits and any fetched bill.
        //    A request that no longer passes but repeats a reference used before is answered as its replay.
        Validated payment;
        try {
            payment = validate(command);
        } catch (BillSwitchException refused) {
            recordApart(mark);
            return CompletableFuture.completedFuture(replayOfEarlier(command, fingerprint, renderer).orElseThrow(() -> refused));
        }
        // 2. Idempotency and 3. hold, in one transaction: the order and its first attempt are inserted unless
        //    the partner used the reference before (the insert conflicts: no lookup first, which would find
        //    nothing for nearly every payment), and the amount + fee is held on the wallet, or nothing is kept.
        //    The database away before the batch's COMMIT: nothing kept, DATABASE_UNAVAILABLE (ApiExceptionHandler);
        //    away during it: the hold may have committed, so the payment is in progress, never failed.
        Upstream upstream = new Upstream(payment, renderer);
        Placements.Placed placed;
        try {
            placed = await(batches.place(new Placements.Placement(newPayment(payment, fingerprint),
                    ledger.walletId(command.partnerId(), command.amount().currency()), payment.debitMinor(), upstream,
                    mark)).thenCompose(upstream::untilSettled));
        } catch (Batches.CommitUnknown e) {
            throw inProgress(command, e);
        } catch (BillSwitchException e) {
            if (e.code() == ErrorCode.BUSY) {
                recordApart(mark); // refused before its batch: its mark was not written
            }
            throw e;
        }
        return switch (placed) {
            case Placements.Duplicate duplicate ->
                    CompletableFuture.completedFuture(replayOfEarlier(command, fingerprint, renderer).orElseThrow());
            case Placements.Refused refused -> throw new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS);
            case Placements.Replayed replayed -> {
                replays.rememberReplay(mark);
                throw new BillSwitchException(ErrorCode.REPLAYED_REQUEST);
            }
            case Placements.Collided collided -> throw new BillSwitchException(ErrorCode.BUSY,
                    "A copy of an earlier signed request with this reference arrived at the same moment; nothing was "
                    + "done. Sign the request again and retry.");
            // 4. Send, 5. settle, 6. answer: see Upstream.
            case Placements.Held held -> {
                PaymentMdc.order(held.orderId());
                if (log.isDebugEnabled()) {
                    log.debug("Held {} {} for {} of {}", command.amount().amountMinor(), command.amount().currency(),
                            command.operatorId(), command.accountNumber());
                }
                yield answered(command, upstream, held);
            }
        };
    }

    /** Steps 4-6 of a held payment ({@link Upstream#answer}); a failure to record its answer is "in progress". */
    private static CompletableFuture<Answer> answered(PayCommand command, Upstream upstream, Placements.Held held) {
        CompletableFuture<Answer> answer;
        try {
            answer = upstream.answer(held);
        } catch (RuntimeException e) {
            throw inProgress(command, e);
        }
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            return answer;
        }
        return answer.exceptionally(e -> {
            throw inProgress(command, e);
        });
    }

    /**
     * A payment that may hold money (its hold committed, or its batch's COMMIT met the database going away) and
     * whose answer could not be recorded: it is in progress, never failed. The janitor settles it by asking the
     * upstream; the partner asks again with the same reference.
     */
    private static BillSwitchException inProgress(PayCommand command, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof BillSwitchException refusal && refusal.code() == ErrorCode.REQUEST_IN_PROGRESS) {
            return refusal;
        }
        log.warn("Payment {} of {} may hold money and its answer could not be recorded ({}); answered in progress",
                command.reference(), command.partnerId(), cause.toString());
        return new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS,
                "The payment is in progress; ask again with the same reference for its outcome.");
    }

    /** A payment that passed validation: its operator, the fetched bill it pays (if any), its price. */
    private record Validated(PayCommand command, Operator operator, Bill bill, Long billFetchId, Price price,
                             List<Route> routes) {
        /** What the wallet is debited (held): amount + ccf + fee + gst. */
        long debitMinor() {
            return price.debitMinor(command.amount().amountMinor());
        }

        /** The terms of the upstream of route {@code i}, fixed on its attempt. */
        UpstreamTerms terms(int i) {
            return UpstreamTerms.of(routes.get(i), command.amount().amountMinor());
        }
    }

    /** Step 1: every rule a payment must pass before any money moves. */
    private Validated validate(PayCommand command) {
        Operator operator = rules.checkPayment(command);
        long amount = command.amount().amountMinor();
        List<Route> routes = router.routesFor(operator, amount);
        Order fetch = null;
        if (command.kind() == OrderKind.BILL_PAY) {
            fetch = fetchedBill(command, operator).orElse(null);
            if (fetch != null) {
                rules.checkAgainstBill(operator, amount, fetch.bill().amountMinor());
                routes = routesOfFetch(fetch, routes);
            }
        }
        if (routes.isEmpty()) {
            throw new BillSwitchException(ErrorCode.NO_ROUTE, "No upstream can take a payment to " + operator.name()
                    + " now; nothing was charged. Retry later.");
        }
        return new Validated(command, operator, fetch == null ? null : fetch.bill(), fetch == null ? null : fetch.id(),
                pricing.price(command.partnerId(), operator, amount, command.paymentMode()), routes);
    }

    /**
     * A bill whose fetch left something the upstream needs to pay it (its upstreamContext, such as AppotaPay's
     * billDetail) is paid through the connector that fetched it; any other goes by the operator's routes.
     */
    private List<Route> routesOfFetch(Order fetch, List<Route> routes) {
        if (fetch.bill().upstreamContext() == null) {
            return routes;
        }
        Optional<String> fetchedBy = orders.fetchConnector(fetch.id());
        return fetchedBy.map(c -> routes.stream().filter(r -> r.connector().equals(c)).toList()).orElse(routes);
    }

    private OrderRepository.NewPayment newPayment(Validated p, String fingerprint) {
        return new OrderRepository.NewPayment(p.command(), p.operator().id(), p.price(), p.billFetchId(), fingerprint,
                clock.instant().plus(resolution.initiatedGrace()), p.terms(0), p.routes().getFirst().upstreamCode());
    }

    /** The answer to a reference the partner used before, if it did (see {@link #replay}). */
    private Optional<Answer> replayOfEarlier(PayCommand command, String fingerprint, Renderer renderer) {
        return orders.findEarlier(command.partnerId(), command.reference(), false)
                .map(earlier -> replay(command.partnerId(), earlier, fingerprint, renderer));
    }

    /**
     * Steps 4-6 of a held payment. 4. Send: the batch that committed the hold calls the connector at once
     * ({@link #held}, on the batch's worker, no transaction open, never blocking); a connector that throws or
     * fails leaves the outcome UNKNOWN, never FAILED. 5. Settle: the upstream's answer moves the order
     * (guarded) and posts or voids the hold in the next batch; PENDING and UNKNOWN keep the hold for the
     * janitor. 6. Answer: rendered in the caller's dialect from the order as placed and so moved, before that
     * batch, and stored by it, so a replay answers the same bytes. An operator that answered at once is
     * settled before the request's thread is woken at all ({@link #untilSettled}): it then wakes once.
     * Fields are written by the batch's worker before it answers the placement, and read after.
     */
    private final class Upstream implements Placements.AfterHold {
        private final Validated payment;
        private final Renderer renderer;
        /** The current attempt: the first route's, then the next route's after a failover. */
        private PaymentInstruction instruction;
        /** The current attempt's upstream and its terms. */
        private UpstreamTerms terms;
        private CompletableFuture<ConnectorResult> sent;
        private CompletableFuture<Answer> settled;

        Upstream(Validated payment, Renderer renderer) {
            this.payment = payment;
            this.renderer = renderer;
        }

        /** Step 4, on the batch's worker right after the hold committed: send, and queue an answer there at once. */
        @Override
        public void held(Placements.Held held) {
            instruction = instruction(held.orderId(), held.attemptId(), 0);
            sent = attempt(held, 0);
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

        /** Step 6, on the request's thread once placed: the payment's answer (sending it if no batch did). */
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

        private PaymentInstruction instruction(long orderId, long attemptId, int i) {
            PayCommand command = payment.command();
            Route route = payment.routes().get(i);
            terms = payment.terms(i);
            return new PaymentInstruction(orderId, attemptId, references.of(attemptId), payment.operator(),
                    route.upstreamCode(), command.accountNumber(), command.params(), command.amount().amountMinor(),
                    command.channel(), command.productCode(), payment.bill(), clock.instant());
        }

        /** Step 4's call through route {@code i}, failing over to the next route when that is safe. */
        private CompletableFuture<ConnectorResult> attempt(Placements.Held held, int i) {
            return router.pay(payment.routes().get(i).connector(), instruction)
                    .thenCompose(result -> failOver(held, i, result));
        }

        /**
         * Sends the payment to the next route only when this attempt provably made no payment: NOT_SENT, or a
         * decline the connector's status map marks "try elsewhere". Never after UNKNOWN or PENDING, and never when
         * the next attempt could outlive the initiated grace (the janitor would ask about it mid-flight: checked by
         * {@link OrderRepository#failOver} against the order's first check, by the janitor's clock). The new
         * attempt is written before it is sent (on a virtual thread: never on the batch's worker).
         */
        private CompletableFuture<ConnectorResult> failOver(Placements.Held held, int i, ConnectorResult result) {
            if (!result.mayFailOver() || i + 1 >= payment.routes().size()) {
                return CompletableFuture.completedFuture(result);
            }
            Route next = payment.routes().get(i + 1);
            PaymentInstruction failed = instruction;
            return CompletableFuture.supplyAsync(() -> orders.failOver(failed.orderId(), failed.attemptId(),
                            result.outcome().name(), result.upstreamCode(), result.message(), payment.terms(i + 1),
                            next.upstreamCode(), router.deadline(next.connector()).plus(FAILOVER_MARGIN)), FAILOVERS)
                    .handle((attemptId, error) -> {
                        if (error != null || attemptId.isEmpty()) {
                            if (error != null) {
                                log.warn("Failover of order {} could not be written; settling its answer", failed.orderId(), error);
                            }
                            return CompletableFuture.completedFuture(result);
                        }
                        log.info("Order {}: attempt {} through {} ended {} {}; trying {}", failed.orderId(),
                                failed.attemptId(), payment.routes().get(i).connector(), result.outcome(),
                                result.upstreamCode(), next.connector());
                        instruction = instruction(failed.orderId(), attemptId.get(), i + 1);
                        return attempt(held, i + 1);
                    })
                    .thenCompose(Function.identity());
        }

        /** Step 5: queues the upstream's first answer, rendered, for the next batch; {@code awaited}: a thread waits on it. */
        private CompletableFuture<Answer> settle(Placements.Held held, ConnectorResult result, boolean awaited) {
            Settlements.FirstAnswer answer = settlements.firstAnswer(held, instruction, terms, result, renderer);
            return awaited ? batches.settleAwaited(answer) : batches.settle(answer);
        }
    }

    /**
     * Waits for a batch's answer on this thread, rethrowing what the batch threw for this item; once awake,
     * hands the other answers of that batch to their threads ({@link Batcher}).
     */
    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(BATCH_ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS,
                    "The payment's outcome is not known yet; ask again with the same reference.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS,
                    "The payment's outcome is not known yet; ask again with the same reference.");
        } finally {
            batches.handOut();
        }
    }

    /**
     * A connector call's answer: the router ends every call within {@link Router#longestCall}, so this waits at most
     * that long and a little more; empty if it did not end (a connector that broke its contract).
     */
    private <T> Optional<T> upstreamAnswer(CompletableFuture<T> call) {
        try {
            return Optional.ofNullable(call.get(router.longestCall().plus(CALL_SLACK).toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Renders and stores the order's first answer; an answer stored before wins. In a transaction. */
    private Answer answerOnce(String partnerId, long orderId, Renderer renderer) {
        return orders.storeAnswerIfAbsent(orderId, renderer.apply(orders.find(partnerId, orderId).orElseThrow()));
    }

    /** The janitor's step for one claimed order: ask the connector, then apply the answer. */
    void resolve(OrderRepository.Claim claim) {
        PaymentMdc.order(claim.orderId());
        try {
            Order order = orders.find(claim.partnerId(), claim.orderId()).orElseThrow();
            PaymentMdc.payment(order.partnerId(), order.reference());
            OrderRepository.AttemptRow attempt = orders.lastAttempt(order.id()).orElseThrow();
            ConnectorResult answer = askUpstream(order, attempt);
            tx.executeWithoutResult(s -> settlements.applyLaterAnswer(order.id(),
                    new Settlements.LaterAnswer.Upstream(answer, claim.checks(), attempt.connector())));
        } finally {
            PaymentMdc.clear();
        }
    }

    /** What the upstream says now of one attempt of the order: asked through the attempt's connector, by its reference. */
    ConnectorResult askUpstream(Order order, OrderRepository.AttemptRow attempt) {
        PaymentInstruction instruction = new PaymentInstruction(order.id(), attempt.id(), references.of(attempt.id()),
                rules.operator(order.operatorId()), attempt.operatorCode(), order.accountNumber(), order.params(),
                order.amountMinor(), order.channel(), order.productCode(), null, attempt.startedAt());
        return upstreamAnswer(router.status(attempt.connector(), instruction)).orElseGet(() ->
                ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer to the status enquiry"));
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
            settlements.applyLaterAnswer(orderId, new Settlements.LaterAnswer.Review(paid, reason))
                    .orElseThrow(() -> new BillSwitchException(ErrorCode.NOT_IN_REVIEW,
                            "Order " + orderId + " is no longer NEEDS_REVIEW."));
            orders.recordReview(orderId, reason);
            return orders.findAnyPartner(orderId).orElseThrow();
        });
    }

    /**
     * Refunds a settled (SUCCESS) payment after a complaint about it was resolved so: the order becomes REFUNDED and
     * each of its posted transfers is reversed once ({@code TransferCommand.Reverse}), in the caller's transaction
     * (or its own). NOT_REFUNDABLE when the order is not SUCCESS (a second refund among them: money moves once).
     */
    public Order refundAfterComplaint(long orderId, String reason) {
        return tx.execute(s -> {
            Order order = orders.findAnyPartner(orderId)
                    .orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND));
            return settlements.applyLaterAnswer(orderId, new Settlements.LaterAnswer.ComplaintRefund(reason))
                    .orElseThrow(() -> new BillSwitchException(ErrorCode.NOT_REFUNDABLE, "Order " + orderId + " is "
                            + order.status() + ": only a SUCCESS payment is refunded through a complaint."));
        });
    }

    /** One attempt of an order as an operator sees it: where it went, with what reference, and what came back. */
    public record Attempt(long id, String connector, String operatorCode, String reference, String outcome,
                          String upstreamRef, String upstreamCode, String message, Instant startedAt, Instant finishedAt) {
    }

    /**
     * An order as an operator reviews it: its attempts, and, when an upstream reported SUCCESS after the order
     * was refunded, both facts (the refund, and the upstream's word: JSON as stored); where its money went.
     */
    public record OrderDetail(Order order, List<Attempt> attempts, String contestedRefund, List<Ledger.Movement> money) {
    }

    /** Any partner's order with its attempts, for the admin API. */
    public OrderDetail orderDetail(long orderId) {
        Order order = orders.findAnyPartner(orderId).orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND));
        List<Attempt> attempts = orders.attempts(orderId).stream().map(a -> new Attempt(a.id(), a.connector(),
                a.operatorCode(), a.reference() != null ? a.reference() : references.of(a.id()), a.outcome(), a.upstreamRef(),
                a.upstreamCode(), a.message(), a.startedAt(), a.finishedAt())).toList();
        return new OrderDetail(order, attempts, orders.contestedRefund(orderId).orElse(null), ledger.orderMoney(orderId));
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
        List<Route> routes = router.routesFor(operator, 0);
        if (routes.isEmpty()) {
            throw new BillSwitchException(ErrorCode.NO_ROUTE, "No upstream can fetch bills of " + operator.name() + " now.");
        }
        // A fetch moves no money: any route that gives no answer (or says "not here") is followed by the next.
        BillResult result = null;
        OrderRepository.FetchedBy by = null;
        for (Route route : routes) {
            String sent = references.forFetch();
            result = upstreamAnswer(router.fetch(route.connector(), new BillQuery(sent, operator, route.upstreamCode(),
                    command.accountNumber(), command.params())))
                    .orElseGet(() -> BillResult.of(Outcome.UNKNOWN, "EXCEPTION", "The biller did not answer"));
            by = new OrderRepository.FetchedBy(route.connector(), route.upstreamCode(), sent, result.upstreamCode(),
                    result.message());
            if (result.outcome() == Outcome.SUCCESS || (result.outcome() == Outcome.FAILED && !result.tryElsewhere())) {
                break;
            }
        }
        switch (result.outcome()) {
            case SUCCESS -> { }
            case FAILED -> throw new BillSwitchException(ErrorCode.BILL_FETCH_FAILED,
                    result.message() == null ? ErrorCode.BILL_FETCH_FAILED.defaultMessage() : result.message());
            default -> throw new BillSwitchException(ErrorCode.UPSTREAM_UNAVAILABLE, "The biller did not answer; try again.");
        }
        BillResult fetched = result;
        OrderRepository.FetchedBy fetchedBy = by;
        String reference = command.reference() != null ? command.reference() : "fetch-" + UUID.randomUUID();
        Optional<Answer> answer = tx.execute(status -> orders.insertFetch(command, reference, operator, fetched.bill(),
                        fingerprint, fetchedBy)
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

    /** A page of the partner's payments, newest first ({@link OrderQuery}). */
    public List<Order> orders(String partnerId, OrderQuery query) {
        return orders.page(partnerId, query);
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
