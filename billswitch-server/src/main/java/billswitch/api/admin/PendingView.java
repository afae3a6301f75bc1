package billswitch.api.admin;

import billswitch.admin.Approvals;
import org.springframework.http.ResponseEntity;

/** The 202 answer of a top-up or settlement above the approval threshold: the approval it filed. */
record PendingView(Approvals.ApprovalView approval, String note) {

    static ResponseEntity<Object> of(Approvals.ApprovalView approval) {
        return ResponseEntity.status(202).body(new PendingView(approval, "Above the approval threshold: nothing is "
                + "done until another identity approves it (POST /admin/approvals/" + approval.id() + "/approve)."));
    }
}
