package billswitch.payment;

import static billswitch.payment.OrderStateMachine.Input.COMPLAINT_REFUNDED;
import static billswitch.payment.OrderStateMachine.Input.FAILED;
import static billswitch.payment.OrderStateMachine.Input.MAX_AGE_PASSED;
import static billswitch.payment.OrderStateMachine.Input.NOT_SENT;
import static billswitch.payment.OrderStateMachine.Input.PENDING;
import static billswitch.payment.OrderStateMachine.Input.REVIEWED_NOT_PAID;
import static billswitch.payment.OrderStateMachine.Input.REVIEWED_PAID;
import static billswitch.payment.OrderStateMachine.Input.SUCCESS;
import static billswitch.payment.OrderStateMachine.Input.UNKNOWN;
import static billswitch.payment.OrderStateMachine.LedgerAction.CHARGE_AGAIN;
import static billswitch.payment.OrderStateMachine.LedgerAction.NONE;
import static billswitch.payment.OrderStateMachine.LedgerAction.POST_HOLD;
import static billswitch.payment.OrderStateMachine.LedgerAction.REVERSE;
import static billswitch.payment.OrderStateMachine.LedgerAction.VOID_HOLD;

import billswitch.connector.spi.Outcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one declaration of an order's life, as Kill Bill declares its payments' in PaymentStates.xml: every
 * change an order may make, one row each in {@link #TABLE}: from-state x input -> to-state, what the ledger
 * does with the order's money, and whether the order's listeners ({@link OrderEvents}) are told. An input a
 * state has no row for is refused: the order stays as it is and no money moves. {@link Settlements} asks
 * it for every change, whoever brings the input: a payment's first answer, the janitor's status enquiry, an
 * upstream's callback, a reviewer.
 */
final class OrderStateMachine {

    /**
     * Where an order is in its life: its stored {@link OrderStatus}, with NEEDS_REVIEW split in two because the
     * same decision moves money differently. NEEDS_REVIEW still holds the order's money; REFUND_CONTESTED is
     * an order whose hold was voided (FAILED or REFUNDED) before the upstream reported SUCCESS: stored as
     * NEEDS_REVIEW with both facts in {@code orders.contested_refund} (V10).
     */
    enum State {
        INITIATED(OrderStatus.INITIATED),
        PENDING(OrderStatus.PENDING),
        UNKNOWN(OrderStatus.UNKNOWN),
        NEEDS_REVIEW(OrderStatus.NEEDS_REVIEW),
        REFUND_CONTESTED(OrderStatus.NEEDS_REVIEW),
        SUCCESS(OrderStatus.SUCCESS),
        FAILED(OrderStatus.FAILED),
        REFUNDED(OrderStatus.REFUNDED);

        private final OrderStatus status;

        State(OrderStatus status) {
            this.status = status;
        }

        /** The status stored, and shown to the partner. */
        OrderStatus status() {
            return status;
        }

        /** The state of an order stored with this status; {@code refundContested}: its contested_refund is set. */
        static State of(OrderStatus status, boolean refundContested) {
            return switch (status) {
                case INITIATED -> INITIATED;
                case PENDING -> PENDING;
                case UNKNOWN -> UNKNOWN;
                case NEEDS_REVIEW -> refundContested ? REFUND_CONTESTED : NEEDS_REVIEW;
                case SUCCESS -> SUCCESS;
                case FAILED -> FAILED;
                case REFUNDED -> REFUNDED;
            };
        }
    }

    /**
     * What may change an order. The first five are what an upstream said (a payment's answer, a status
     * enquiry's, a callback's); NOT_SENT is a payment that provably never left, so failing it is safe (a status
     * enquiry that never left is no news: {@link Settlements} brings it as UNKNOWN). MAX_AGE_PASSED: still no
     * settling answer past billswitch.resolution.max-age. REVIEWED_*: an operator's decision on an order in
     * review, with a recorded reason. COMPLAINT_REFUNDED: a settled payment refunded after a complaint was
     * resolved in the partner's favour (billswitch.complaint).
     */
    enum Input {
        SUCCESS, PENDING, FAILED, UNKNOWN, NOT_SENT, MAX_AGE_PASSED, REVIEWED_PAID, REVIEWED_NOT_PAID, COMPLAINT_REFUNDED;

        /** An upstream's outcome as an input. */
        static Input of(Outcome outcome) {
            return switch (outcome) {
                case SUCCESS -> SUCCESS;
                case PENDING -> PENDING;
                case FAILED -> FAILED;
                case UNKNOWN -> UNKNOWN;
                case NOT_SENT -> NOT_SENT;
            };
        }
    }

    /** What a change does with the order's money. */
    enum LedgerAction {
        /** Nothing moves. */
        NONE,
        /** The hold is made final, and the partner's commission credited ({@code TransferCommand.Post}). */
        POST_HOLD,
        /** The hold is released: the money is back in the wallet ({@code TransferCommand.Void}). */
        VOID_HOLD,
        /**
         * The hold is gone (voided): the wallet is debited again at once for amount + fee, and the commission
         * credited ({@code TransferCommand.Charge}); refused, moving nothing, when the wallet cannot cover it.
         */
        CHARGE_AGAIN,
        /**
         * The payment was settled (its hold posted): each of its posted transfers is mirrored back, once
         * ({@code TransferCommand.Reverse}); refused, moving nothing, when the wallet cannot give back what it got.
         */
        REVERSE
    }

    /** One allowed change: {@code announced}, whether the order's listeners are told of it. */
    record Transition(State from, Input input, State to, LedgerAction ledger, boolean announced) {
    }

    private static final boolean ANNOUNCED = true;
    private static final boolean QUIET = false;

    /** Every allowed change. Anything not here is refused. */
    static final List<Transition> TABLE = List.of(
            // The first answer, or the janitor's, to a payment whose upstream never answered us.
            row(State.INITIATED, SUCCESS, State.SUCCESS, POST_HOLD, ANNOUNCED),
            row(State.INITIATED, PENDING, State.PENDING, NONE, QUIET),
            row(State.INITIATED, FAILED, State.FAILED, VOID_HOLD, ANNOUNCED),
            row(State.INITIATED, UNKNOWN, State.UNKNOWN, NONE, QUIET),
            row(State.INITIATED, NOT_SENT, State.FAILED, VOID_HOLD, ANNOUNCED),
            row(State.INITIATED, MAX_AGE_PASSED, State.NEEDS_REVIEW, NONE, ANNOUNCED),
            // Accepted, or not answered: settled later; a failure then is REFUNDED.
            row(State.PENDING, SUCCESS, State.SUCCESS, POST_HOLD, ANNOUNCED),
            row(State.PENDING, PENDING, State.PENDING, NONE, QUIET),
            row(State.PENDING, FAILED, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.PENDING, UNKNOWN, State.UNKNOWN, NONE, QUIET),
            row(State.PENDING, NOT_SENT, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.PENDING, MAX_AGE_PASSED, State.NEEDS_REVIEW, NONE, ANNOUNCED),
            row(State.UNKNOWN, SUCCESS, State.SUCCESS, POST_HOLD, ANNOUNCED),
            row(State.UNKNOWN, PENDING, State.PENDING, NONE, QUIET),
            row(State.UNKNOWN, FAILED, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.UNKNOWN, UNKNOWN, State.UNKNOWN, NONE, QUIET),
            row(State.UNKNOWN, NOT_SENT, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.UNKNOWN, MAX_AGE_PASSED, State.NEEDS_REVIEW, NONE, ANNOUNCED),
            // In review with the money held: a reviewer decides, or the upstream's final word settles it.
            row(State.NEEDS_REVIEW, SUCCESS, State.SUCCESS, POST_HOLD, ANNOUNCED),
            row(State.NEEDS_REVIEW, FAILED, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.NEEDS_REVIEW, NOT_SENT, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            row(State.NEEDS_REVIEW, REVIEWED_PAID, State.SUCCESS, POST_HOLD, ANNOUNCED),
            row(State.NEEDS_REVIEW, REVIEWED_NOT_PAID, State.REFUNDED, VOID_HOLD, ANNOUNCED),
            // Refunded, then the upstream said SUCCESS: both facts kept for a reviewer, no money moves until one decides.
            row(State.FAILED, SUCCESS, State.REFUND_CONTESTED, NONE, ANNOUNCED),
            row(State.REFUNDED, SUCCESS, State.REFUND_CONTESTED, NONE, ANNOUNCED),
            row(State.REFUND_CONTESTED, REVIEWED_PAID, State.SUCCESS, CHARGE_AGAIN, ANNOUNCED),
            row(State.REFUND_CONTESTED, REVIEWED_NOT_PAID, State.REFUNDED, NONE, ANNOUNCED),
            // Settled, then a complaint resolved with a refund: every transfer of the payment reversed.
            row(State.SUCCESS, COMPLAINT_REFUNDED, State.REFUNDED, REVERSE, ANNOUNCED));

    private static final Map<State, Map<Input, Transition>> BY_STATE = index(TABLE);

    private OrderStateMachine() {
    }

    /** The change {@code input} makes to an order in {@code from}; empty when it is refused. */
    static Optional<Transition> next(State from, Input input) {
        return Optional.ofNullable(BY_STATE.get(from).get(input));
    }

    private static Transition row(State from, Input input, State to, LedgerAction ledger, boolean announced) {
        return new Transition(from, input, to, ledger, announced);
    }

    /** The table by from-state and input; a pair declared twice is a mistake in the table. */
    static Map<State, Map<Input, Transition>> index(List<Transition> table) {
        Map<State, Map<Input, Transition>> byState = new EnumMap<>(State.class);
        for (State s : State.values()) {
            byState.put(s, new EnumMap<>(Input.class));
        }
        for (Transition t : table) {
            if (byState.get(t.from()).put(t.input(), t) != null) {
                throw new IllegalStateException(t.from() + " x " + t.input() + " is declared twice");
            }
        }
        return byState;
    }
}
