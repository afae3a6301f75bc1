package billswitch.admin;

import tools.jackson.databind.JsonNode;

/**
 * A kind of money-moving request another feature files with {@link Approvals#file} (e.g. a complaint's refund):
 * which roles may decide it, and what approving it executes, once, in the approval's transaction.
 */
public interface ApprovalKind {
    /** The approval's action, as stored in admin_approvals.action. */
    String action();

    /** Whether this identity's role may approve or reject it. */
    boolean mayDecide(AdminIdentity actor);

    /** Executes the approved request from its payload; the result is kept with the approval (JSON). */
    Object execute(AdminIdentity actor, String request, JsonNode payload);
}
