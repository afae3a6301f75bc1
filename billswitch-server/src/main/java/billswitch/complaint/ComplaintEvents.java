package billswitch.complaint;

/**
 * Told of every change of a complaint (raised, assigned, escalated, resolved, rejected, the upstream's word), inside
 * the transaction that made it, so an outbox written here commits or rolls back with the change.
 */
public interface ComplaintEvents {
    void changed(Complaint complaint);
}
