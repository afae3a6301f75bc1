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
import billswitch.shared.ErrorCode;
import billswitch.shared.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
    /** How long a fetched bill can be paid against. */
    static final Duration FETCH_VALIDITY = Duration.ofHours(24);

    private final OrderRepository orders;
    private final PaymentRules rules;
    private final Ledger ledger;
    private final Router router;
    private final TransactionTemplate tx;
    private final Clock clock;

    PaymentService(OrderRepository orders, PaymentRules rules, Ledger ledger, Router router,
                   TransactionTemplate tx, Clock clock) {
        this.orders = orders;
        this.rules = rules;
        this.ledger = ledger;
        this.router = router;
        this.tx = tx;
        this.clock = clock;
    }

    /** Renders an order into the calling dialect's response; the result is stored for replays. */
    public interface Renderer extends Function<Order, Answer> {
    }

    /** Pays a bill or recharges a number. Expected refusals throw {@link BillSwitchException} and move no money. */
    public Answer pay(PayCommand command, Renderer renderer) {
        String fingerprint = fingerprint(command.fingerprint());
        Optional<OrderRepository.Earlier> earlier = orders.findEarlier(command.partnerId(), command.reference(), false);
        if (earlier.isPresent()) {
            return replay(earlier.get(), fingerprint);
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
            Optional<Long> orderId = orders.insertPayment(command, operator, fee, commission, fetchId, fingerprint);
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
            return replay(orders.findEarlier(command.partnerId(), command.reference(), false).orElseThrow(), fingerprint);
        }
        PaymentInstruction instruction = placed.get();
        ConnectorResult result = send(connector, instruction);
        return settleFirstAnswer(command.partnerId(), instruction, result, renderer);
    }

    private ConnectorResult send(Connector connector, PaymentInstruction instruction) {
        try {
            return connector.pay(instruction);
        } catch (RuntimeException e) {
            log.warn("Connector {} failed on order {}: outcome unknown", connector.name(), instruction.orderId(), e);
            return ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer from the operator");
        }
    }

    private Answer settleFirstAnswer(String partnerId, PaymentInstruction instruction, ConnectorResult result,
                                     Renderer renderer) {
        long orderId = instruction.orderId();
        return tx.execute(status -> {
            orders.finishAttempt(instruction.attemptId(), result.outcome().name(), result.operatorRef(),
                    result.upstreamCode(), result.message());
            applyOutcome(orderId, instruction.operator(), partnerId, result, false);
            Order order = orders.find(partnerId, orderId).orElseThrow();
            Answer answer = renderer.apply(order);
            orders.storeAnswer(orderId, answer);
            return answer;
        });
    }

    /**
     * Applies what the upstream said to the order and the ledger. Must run in a transaction.
     * afterAcceptance marks a failure learned after the order was PENDING or UNKNOWN: a REFUNDED order.
     */
    void applyOutcome(long orderId, Operator operator, String partnerId, ConnectorResult result, boolean afterAcceptance) {
        switch (result.outcome()) {
            case SUCCESS -> {
                if (orders.transition(orderId, OrderStatus.SUCCESS, result.operatorRef(), null, null)) {
                    ledger.post(orderId);
                    Order order = orders.find(partnerId, orderId).orElseThrow();
                    if (order.commissionMinor() > 0) {
                        ledger.creditCommission(ledger.walletId(partnerId, order.currency()), order.currency(),
                                order.commissionMinor(), orderId);
                    }
                }
            }
            case FAILED, NOT_SENT -> {
                OrderStatus to = afterAcceptance ? OrderStatus.REFUNDED : OrderStatus.FAILED;
                if (orders.transition(orderId, to, null, result.upstreamCode(), result.message())) {
                    ledger.voidHold(orderId);
                }
            }
            case PENDING -> orders.transition(orderId, OrderStatus.PENDING, result.operatorRef(), null, null);
            case UNKNOWN -> orders.transition(orderId, OrderStatus.UNKNOWN, null, result.upstreamCode(), result.message());
        }
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
                return replay(earlier.get(), fingerprint);
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
                .map(id -> {
                    Answer a = renderer.apply(orders.find(command.partnerId(), id).orElseThrow());
                    orders.storeAnswer(id, a);
                    return a;
                }));
        return answer.orElseGet(() -> replay(orders.findEarlier(command.partnerId(), reference, true).orElseThrow(), fingerprint));
    }

    private static Answer replay(OrderRepository.Earlier earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
        if (earlier.answerBody() == null) {
            throw new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS);
        }
        return new Answer(earlier.answerStatus(), earlier.answerBody());
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
