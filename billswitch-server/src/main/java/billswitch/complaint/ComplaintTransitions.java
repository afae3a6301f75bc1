package billswitch.complaint;

import static billswitch.complaint.ComplaintStatus.ASSIGNED;
import static billswitch.complaint.ComplaintStatus.ESCALATED;
import static billswitch.complaint.ComplaintStatus.INITIALIZED;
import static billswitch.complaint.ComplaintStatus.REJECTED;
import static billswitch.complaint.ComplaintStatus.RESOLVED;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one declaration of a complaint's life: from-status x action -> to-status, one row each. An action a status
 * has no row for is refused (COMPLAINT_CLOSED): a closed complaint never changes again.
 */
final class ComplaintTransitions {

    /** What may happen to a complaint. */
    enum Action {
        /** A person takes it (an escalated one stays ESCALATED, with its assignee). */
        ASSIGN,
        /** Its deadline passed while open. */
        ESCALATE,
        /** Closed in the partner's favour (with or without a refund). */
        RESOLVE,
        /** Closed against it. */
        REJECT
    }

    record Transition(ComplaintStatus from, Action action, ComplaintStatus to) {
    }

    static final List<Transition> TABLE = List.of(
            new Transition(INITIALIZED, Action.ASSIGN, ASSIGNED),
            new Transition(INITIALIZED, Action.ESCALATE, ESCALATED),
            new Transition(INITIALIZED, Action.RESOLVE, RESOLVED),
            new Transition(INITIALIZED, Action.REJECT, REJECTED),
            new Transition(ASSIGNED, Action.ASSIGN, ASSIGNED),
            new Transition(ASSIGNED, Action.ESCALATE, ESCALATED),
            new Transition(ASSIGNED, Action.RESOLVE, RESOLVED),
            new Transition(ASSIGNED, Action.REJECT, REJECTED),
            new Transition(ESCALATED, Action.ASSIGN, ESCALATED),
            new Transition(ESCALATED, Action.RESOLVE, RESOLVED),
            new Transition(ESCALATED, Action.REJECT, REJECTED));

    private static final Map<ComplaintStatus, Map<Action, ComplaintStatus>> BY_STATUS = index();

    private ComplaintTransitions() {
    }

    /** Where {@code action} takes a complaint in {@code from}; empty when refused. */
    static Optional<ComplaintStatus> next(ComplaintStatus from, Action action) {
        return Optional.ofNullable(BY_STATUS.get(from).get(action));
    }

    private static Map<ComplaintStatus, Map<Action, ComplaintStatus>> index() {
        Map<ComplaintStatus, Map<Action, ComplaintStatus>> m = new EnumMap<>(ComplaintStatus.class);
        for (ComplaintStatus s : ComplaintStatus.values()) {
            m.put(s, new EnumMap<>(Action.class));
        }
        for (Transition t : TABLE) {
            if (m.get(t.from()).put(t.action(), t.to()) != null) {
                throw new IllegalStateException(t.from() + " x " + t.action() + " is declared twice");
            }
        }
        return m;
    }
}
