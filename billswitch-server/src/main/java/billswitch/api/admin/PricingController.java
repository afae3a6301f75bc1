package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.infra.http.JsonBody;
import billswitch.pricing.CcfSlab;
import billswitch.pricing.PaymentMode;
import billswitch.pricing.PlanVersion;
import billswitch.pricing.Price;
import billswitch.pricing.PricingAdmin;
import billswitch.pricing.PricingJson;
import billswitch.pricing.PricingPlan;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Pricing plans (their versions and rules), the partners' assignments, the default plan and the billers' CCF slabs
 * (README "Pricing plans, commission, fees and taxes"). Changes: OPERATIONS or ADMIN, each audited with before and
 * after; reads: every role.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class PricingController {
    private final PricingAdmin pricing;
    private final AuditLog audit;

    PricingController(PricingAdmin pricing, AuditLog audit) {
        this.pricing = pricing;
        this.audit = audit;
    }

    @GetMapping("/pricing/plans")
    Map<String, Object> plans() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("defaultPlanId", pricing.defaultPlan());
        body.put("plans", pricing.plans());
        return body;
    }

    /** {"id", "name"}: a plan without versions. */
    @PostMapping("/pricing/plans")
    ResponseEntity<PricingPlan> createPlan(@RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("id", "name"));
        String id = in.requiredString("id");
        String name = in.requiredString("name");
        in.validate();
        return ResponseEntity.status(201).body(audit.change(AdminRequest.actor(), "pricing.plan.create",
                AdminRequest.line(), "pricing-plan:" + id, () -> null, () -> pricing.createPlan(id, name), v -> v));
    }

    @GetMapping("/pricing/plans/{id}")
    PricingPlan plan(@PathVariable String id) {
        return pricing.plan(id);
    }

    /** {"effectiveFrom" (optional: now), "rules": [...]}: the plan's next version. */
    @PostMapping("/pricing/plans/{id}/versions")
    ResponseEntity<PlanVersion> addVersion(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonNode in = CatalogJson.body(body);
        String actor = AdminRequest.actor().name();
        return ResponseEntity.status(201).body(audit.change(AdminRequest.actor(), "pricing.version.create",
                AdminRequest.line(), "pricing-plan:" + id, () -> pricing.plan(id).versions(),
                () -> pricing.addVersion(id, in, actor), v -> v));
    }

    @GetMapping("/pricing/assignments")
    Map<String, Object> assignments() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("defaultPlanId", pricing.defaultPlan());
        body.put("assignments", new java.util.TreeMap<>(pricing.assignments()));
        return body;
    }

    @GetMapping("/pricing/assignments/{partnerId}")
    Map<String, Object> assignment(@PathVariable String partnerId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("partnerId", partnerId);
        body.put("planId", pricing.assignment(partnerId));
        body.put("defaultPlanId", pricing.defaultPlan());
        return body;
    }

    /** {"planId"}: the partner is priced by that plan from now on. */
    @PutMapping("/pricing/assignments/{partnerId}")
    Map<String, Object> assign(@PathVariable String partnerId, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("planId"));
        String planId = in.requiredString("planId");
        in.validate();
        audit.change(AdminRequest.actor(), "pricing.assignment.set", AdminRequest.line(), "partner:" + partnerId,
                () -> planOf(pricing.assignment(partnerId)), () -> pricing.assign(partnerId, planId), this::planOf);
        return assignment(partnerId);
    }

    /** The partner goes back to the default plan. */
    @DeleteMapping("/pricing/assignments/{partnerId}")
    ResponseEntity<Void> unassign(@PathVariable String partnerId) {
        audit.change(AdminRequest.actor(), "pricing.assignment.remove", AdminRequest.line(), "partner:" + partnerId,
                () -> planOf(pricing.assignment(partnerId)), () -> {
                    pricing.unassign(partnerId);
                    return null;
                }, v -> planOf(null));
        return ResponseEntity.noContent().build();
    }

    /** {"planId"} (null: no default plan). */
    @PutMapping("/pricing/default")
    Map<String, Object> setDefault(@RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("planId"));
        String planId = in.optionalString("planId");
        in.validate();
        audit.change(AdminRequest.actor(), "pricing.default.set", AdminRequest.line(), "pricing-default",
                () -> planOf(pricing.defaultPlan()), () -> pricing.setDefaultPlan(planId), this::planOf);
        return planOf(pricing.defaultPlan());
    }

    @GetMapping("/operators/{id}/ccf-slabs")
    Map<String, List<CcfSlab>> ccfSlabs(@PathVariable String id) {
        return Map.of("slabs", pricing.ccfSlabs(id));
    }

    /** {"slabs": [...]}: replaces the biller's CCF slabs (an empty list: its catalog fee is its CCF again). */
    @PutMapping("/operators/{id}/ccf-slabs")
    Map<String, List<CcfSlab>> replaceCcfSlabs(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonNode in = CatalogJson.body(body);
        return Map.of("slabs", audit.change(AdminRequest.actor(), "pricing.ccf.replace", AdminRequest.line(),
                "operator:" + id, () -> pricing.ccfSlabs(id), () -> pricing.replaceCcfSlabs(id, in), v -> v));
    }

    /** What a payment by the partner to the operator would be priced at now: fee, GST, commission, TDS, CCF. */
    @GetMapping("/pricing/quote")
    Price quote(@RequestParam String partnerId, @RequestParam String operatorId, @RequestParam String amountMinor,
                @RequestParam(required = false) String paymentMode) {
        Map<String, String> problems = new LinkedHashMap<>();
        long amount = -1;
        if (amountMinor.matches("^[0-9]{1,12}$")) {
            amount = Long.parseLong(amountMinor);
        } else {
            problems.put("amountMinor", "must be a whole number of minor units, at most 12 digits");
        }
        PaymentMode mode = paymentMode == null ? PaymentMode.CASH : PricingJson.mode(paymentMode);
        if (mode == null) {
            problems.put("paymentMode", "must be one of " + Arrays.toString(PaymentMode.values()));
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid query parameters: " + problems + ".", problems);
        }
        return pricing.quote(partnerId, operatorId, amount, mode);
    }

    private Map<String, Object> planOf(String planId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planId", planId);
        return m;
    }
}
