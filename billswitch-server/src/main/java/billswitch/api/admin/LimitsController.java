package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.infra.http.JsonBody;
import billswitch.partner.PartnerLimits;
import billswitch.partner.PartnerService;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner's request limits: the configured defaults (billswitch.limits) or its own override. PUT sets the
 * override (a field left out or null keeps the default; 0 turns that limit off for the partner); every node
 * applies it within billswitch.limits.refresh-interval, this one at once.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class LimitsController {
    private static final Set<String> FIELDS = Set.of("requestsPerSecond", "burst", "maxInFlight");

    private final PartnerService partners;
    private final PartnerLimits limits;
    private final AuditLog audit;

    LimitsController(PartnerService partners, PartnerLimits limits, AuditLog audit) {
        this.partners = partners;
        this.limits = limits;
        this.audit = audit;
    }

    /** What applies (0: no limit) and what the partner's override sets (null: the default). */
    record LimitsView(String partnerId, int requestsPerSecond, int burst, int maxInFlight, PartnerLimits.Overrides override,
                      String note) {
        static LimitsView of(String partnerId, PartnerLimits.Limits applied, PartnerLimits.Overrides override) {
            return new LimitsView(partnerId, applied.requestsPerSecond(), applied.burst(), applied.maxInFlight(), override,
                    "Per node: each node admits this much. 0 is no limit.");
        }
    }

    @GetMapping("/partners/{id}/limits")
    LimitsView get(@PathVariable String id) {
        partners.require(id);
        return LimitsView.of(id, limits.of(id), limits.override(id));
    }

    @PutMapping("/partners/{id}/limits")
    LimitsView set(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(FIELDS);
        PartnerLimits.Overrides override = new PartnerLimits.Overrides(in.optionalInt("requestsPerSecond"),
                in.optionalInt("burst"), in.optionalInt("maxInFlight"));
        for (String field : FIELDS) {
            Integer value = switch (field) {
                case "requestsPerSecond" -> override.requestsPerSecond();
                case "burst" -> override.burst();
                default -> override.maxInFlight();
            };
            if (value != null && value < 0) {
                in.problem(field, "must not be negative");
            }
        }
        in.validate();
        partners.require(id);
        return audit.change(AdminRequest.actor(), "partner.limits", AdminRequest.line(), "partner:" + id,
                () -> limits.override(id), () -> LimitsView.of(id, limits.set(id, override), override), LimitsView::override);
    }
}
