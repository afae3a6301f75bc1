package billswitch.complaint;

/**
 * A complaint's status, BBPS's five (protocols.md section 4). INITIALIZED: raised. ASSIGNED: a person took it.
 * ESCALATED: its resolution deadline passed while open (set by the deadline sweep). RESOLVED, REJECTED: closed.
 * Which follows which: {@link ComplaintTransitions}.
 */
public enum ComplaintStatus {
    INITIALIZED, ASSIGNED, ESCALATED, RESOLVED, REJECTED;

    public boolean isOpen() {
        return this == INITIALIZED || this == ASSIGNED || this == ESCALATED;
    }
}
