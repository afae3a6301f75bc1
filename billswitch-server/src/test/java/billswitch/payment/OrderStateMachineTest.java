package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.spi.Outcome;
import billswitch.payment.OrderStateMachine.Input;
import billswitch.payment.OrderStateMachine.LedgerAction;
import billswitch.payment.OrderStateMachine.State;
import billswitch.payment.OrderStateMachine.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OrderStateMachine} as a table: every state x every input, against the life written out again here,
 * state by state (a change, or "-" where the input is refused and nothing changes).
 */
class OrderStateMachineTest {
    /** from, input: to ledger-action announced(!) or quiet(.), or "-" for refused. */
    private static final String EXPECTED = """
            INITIATED         SUCCESS            SUCCESS           POST_HOLD     !
            INITIATED         PENDING            PENDING           NONE          .
            INITIATED         FAILED             FAILED            VOID_HOLD     !
            INITIATED         UNKNOWN            UNKNOWN           NONE          .
            INITIATED         NOT_SENT           FAILED            VOID_HOLD     !
            INITIATED         MAX_AGE_PASSED     NEEDS_REVIEW      NONE          !
            INITIATED         REVIEWED_PAID      -
            INITIATED         REVIEWED_NOT_PAID  -
            INITIATED         COMPLAINT_REFUNDED -
            PENDING           SUCCESS            SUCCESS           POST_HOLD     !
            PENDING           PENDING            PENDING           NONE          .
            PENDING           FAILED             REFUNDED          VOID_HOLD     !
            PENDING           UNKNOWN            UNKNOWN           NONE          .
            PENDING           NOT_SENT           REFUNDED          VOID_HOLD     !
            PENDING           MAX_AGE_PASSED     NEEDS_REVIEW      NONE          !
            PENDING           REVIEWED_PAID      -
            PENDING           REVIEWED_NOT_PAID  -
            PENDING           COMPLAINT_REFUNDED -
            UNKNOWN           SUCCESS            SUCCESS           POST_HOLD     !
            UNKNOWN           PENDING            PENDING           NONE          .
            UNKNOWN           FAILED             REFUNDED          VOID_HOLD     !
            UNKNOWN           UNKNOWN            UNKNOWN           NONE          .
            UNKNOWN           NOT_SENT           REFUNDED          VOID_HOLD     !
            UNKNOWN           MAX_AGE_PASSED     NEEDS_REVIEW      NONE          !
            UNKNOWN           REVIEWED_PAID      -
            UNKNOWN           REVIEWED_NOT_PAID  -
            UNKNOWN           COMPLAINT_REFUNDED -
            NEEDS_REVIEW      SUCCESS            SUCCESS           POST_HOLD     !
            NEEDS_REVIEW      PENDING            -
            NEEDS_REVIEW      FAILED             REFUNDED          VOID_HOLD     !
            NEEDS_REVIEW      UNKNOWN            -
            NEEDS_REVIEW      NOT_SENT           REFUNDED          VOID_HOLD     !
            NEEDS_REVIEW      MAX_AGE_PASSED     -
            NEEDS_REVIEW      REVIEWED_PAID      SUCCESS           POST_HOLD     !
            NEEDS_REVIEW      REVIEWED_NOT_PAID  REFUNDED          VOID_HOLD     !
            NEEDS_REVIEW      COMPLAINT_REFUNDED -
            REFUND_CONTESTED  SUCCESS            -
            REFUND_CONTESTED  PENDING            -
            REFUND_CONTESTED  FAILED             -
            REFUND_CONTESTED  UNKNOWN            -
            REFUND_CONTESTED  NOT_SENT           -
            REFUND_CONTESTED  MAX_AGE_PASSED     -
            REFUND_CONTESTED  REVIEWED_PAID      SUCCESS           CHARGE_AGAIN  !
            REFUND_CONTESTED  REVIEWED_NOT_PAID  REFUNDED          NONE          !
            REFUND_CONTESTED  COMPLAINT_REFUNDED -
            SUCCESS           SUCCESS            -
            SUCCESS           PENDING            -
            SUCCESS           FAILED             -
            SUCCESS           UNKNOWN            -
            SUCCESS           NOT_SENT           -
            SUCCESS           MAX_AGE_PASSED     -
            SUCCESS           REVIEWED_PAID      -
            SUCCESS           REVIEWED_NOT_PAID  -
            SUCCESS           COMPLAINT_REFUNDED REFUNDED          REVERSE       !
            FAILED            SUCCESS            REFUND_CONTESTED  NONE          !
            FAILED            PENDING            -
            FAILED            FAILED             -
            FAILED            UNKNOWN            -
            FAILED            NOT_SENT           -
            FAILED            MAX_AGE_PASSED     -
            FAILED            REVIEWED_PAID      -
            FAILED            REVIEWED_NOT_PAID  -
            FAILED            COMPLAINT_REFUNDED -
            REFUNDED          SUCCESS            REFUND_CONTESTED  NONE          !
            REFUNDED          PENDING            -
            REFUNDED          FAILED             -
            REFUNDED          UNKNOWN            -
            REFUNDED          NOT_SENT           -
            REFUNDED          MAX_AGE_PASSED     -
            REFUNDED          REVIEWED_PAID      -
            REFUNDED          REVIEWED_NOT_PAID  -
            REFUNDED          COMPLAINT_REFUNDED -
            """;

    /** Every state x every input, with the change written out above for it (empty: refused). */
    static Stream<Arguments> everyStateAndInput() {
        Map<String, String[]> expected = new HashMap<>();
        for (String line : EXPECTED.strip().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            assertThat(expected.put(cells[0] + " " + cells[1], cells)).as("written twice: " + line).isNull();
        }
        List<Arguments> pairs = new ArrayList<>();
        for (State from : State.values()) {
            for (Input input : Input.values()) {
                String[] cells = expected.remove(from + " " + input);
                assertThat(cells).as("not written out: " + from + " x " + input).isNotNull();
                Optional<Transition> change = cells[2].equals("-") ? Optional.empty() : Optional.of(new Transition(from,
                        input, State.valueOf(cells[2]), LedgerAction.valueOf(cells[3]), cells[4].equals("!")));
                pairs.add(Arguments.of(from, input, change));
            }
        }
        assertThat(expected).as("rows naming no state or input").isEmpty();
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @MethodSource("everyStateAndInput")
    void everyStateAndInputHasItsChangeOrIsRefused(State from, Input input, Optional<Transition> expected) {
        assertThat(OrderStateMachine.next(from, input)).isEqualTo(expected);
    }

    /** Where each state's money is: held on the wallet, paid (posted or charged), or back in the wallet. */
    private enum Money { HELD, PAID, RETURNED }

    private static Money money(State s) {
        return switch (s) {
            case INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW -> Money.HELD;
            case SUCCESS -> Money.PAID;
            case FAILED, REFUNDED, REFUND_CONTESTED -> Money.RETURNED;
        };
    }

    /** The ledger action of each row is the one that takes the money from where it was to where the new state says. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachChangeMovesTheMoneyToWhereItsNewStateHasIt(Transition t) {
        LedgerAction needed = switch (money(t.from())) {
            case HELD -> switch (money(t.to())) {
                case HELD -> LedgerAction.NONE;
                case PAID -> LedgerAction.POST_HOLD;
                case RETURNED -> LedgerAction.VOID_HOLD;
            };
            case RETURNED -> money(t.to()) == Money.PAID ? LedgerAction.CHARGE_AGAIN : LedgerAction.NONE;
            // SUCCESS is left only by a refund after a complaint: every transfer of the payment reversed
            case PAID -> money(t.to()) == Money.RETURNED ? LedgerAction.REVERSE : null;
        };
        assertThat(t.ledger()).isEqualTo(needed);
    }

    /** OrderEvents' promise: listeners hear of every change to a final state or NEEDS_REVIEW, and of no other. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void listenersAreToldOfEveryFinalStateAndEveryReviewAndNothingElse(Transition t) {
        OrderStatus to = t.to().status();
        assertThat(t.announced()).isEqualTo(to.isFinal() || to == OrderStatus.NEEDS_REVIEW);
    }

    static Stream<Transition> rows() {
        return OrderStateMachine.TABLE.stream();
    }

    @Test
    void aFirstAnswerOfEveryKindMovesAnOrderAsPlaced() {
        for (Outcome outcome : Outcome.values()) {
            assertThat(OrderStateMachine.next(State.INITIATED, Input.of(outcome))).as(outcome.name()).isPresent();
        }
    }

    @Test
    void aPairDeclaredTwiceIsRefusedAsAMistakeInTheTable() {
        List<Transition> twice = List.of(
                new Transition(State.PENDING, Input.FAILED, State.REFUNDED, LedgerAction.VOID_HOLD, true),
                new Transition(State.PENDING, Input.FAILED, State.FAILED, LedgerAction.VOID_HOLD, true));
        assertThatThrownBy(() -> OrderStateMachine.index(twice))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PENDING x FAILED");
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void eachStateIsReadBackFromItsStoredStatusAndWhetherARefundIsContested(State state) {
        assertThat(State.of(state.status(), state == State.REFUND_CONTESTED)).isEqualTo(state);
        if (state.status() != OrderStatus.NEEDS_REVIEW) {
            // A contested refund settled since stays on record (contested_refund): the status alone says where it is.
            assertThat(State.of(state.status(), true)).isEqualTo(state);
        }
    }
}
