package billswitch.console.pricing;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Operator;
import billswitch.console.ConsolePages;
import billswitch.pricing.CcfSlab;
import billswitch.pricing.PaymentMode;
import billswitch.pricing.PlanVersion;
import billswitch.pricing.Price;
import billswitch.pricing.PricingAdmin;
import billswitch.pricing.PricingJson;
import billswitch.pricing.PricingLines;
import billswitch.pricing.PricingPlan;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's pricing: every plan with its versions (start, rules per operator or category), which is the default
 * and the partners on it; the billers' CCF slabs; forms for a new plan, a plan's next version (its rules typed one per
 * line, {@link PricingLines}), a partner's plan, the default plan and a biller's CCF slabs; and a quote (what a payment
 * would be priced at now). The same service, rules, roles (changes: OPERATIONS or ADMIN) and audit entries as the
 * admin API's /admin/pricing.
 */
@Controller
@RequestMapping("/console/pricing")
class PricingPages {
    private final PricingAdmin pricing;
    private final CatalogAdmin catalog;
    private final AuditLog audit;
    private final Clock clock;

    PricingPages(PricingAdmin pricing, CatalogAdmin catalog, AuditLog audit, Clock clock) {
        this.pricing = pricing;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    /** A version as the page shows it: when it starts, whether it is in force, its rules one per line. */
    record VersionRow(long id, Instant effectiveFrom, String state, String createdBy, List<String> rules) {
    }

    record PlanRow(String id, String name, boolean isDefault, List<String> partners, List<VersionRow> versions) {
    }

    /** A biller's CCF slab as the page shows it, amounts in the biller's currency. */
    record CcfRow(String operatorId, String mode, String from, String to, String flat, String percent, String line) {
    }

    /** A quote's split, in the operator's currency. */
    record QuoteRow(String currency, String amount, String ccf, String fee, String gst, String commission, String tds,
                    String debit, String netCommission, long planVersionId) {
    }

    @GetMapping
    String page(Model model) {
        Instant now = clock.instant();
        List<PlanRow> plans = new ArrayList<>();
        for (PricingPlan p : pricing.plans()) {
            PlanVersion inForce = p.versions().stream().filter(v -> !v.effectiveFrom().isAfter(now))
                    .reduce((a, b) -> b).orElse(null);
            List<VersionRow> versions = p.versions().reversed().stream().map(v -> new VersionRow(v.id(), v.effectiveFrom(),
                    v == inForce ? "IN FORCE" : v.effectiveFrom().isAfter(now) ? "SCHEDULED" : "PAST", v.createdBy(),
                    v.rules().stream().map(PricingLines::line).toList())).toList();
            plans.add(new PlanRow(p.id(), p.name(), p.isDefault(), p.partners(), versions));
        }
        List<CcfRow> ccf = new ArrayList<>();
        Map<String, List<CcfSlab>> allSlabs = pricing.allCcfSlabs();
        Map<String, Currency> currencies = allSlabs.isEmpty() ? Map.of() : catalog.operators().stream()
                .collect(java.util.stream.Collectors.toMap(Operator::id, Operator::currency, (a, b) -> a));
        allSlabs.forEach((operatorId, slabs) -> {
            Currency c = currencies.getOrDefault(operatorId, Currency.INR);
            for (CcfSlab s : slabs) {
                ccf.add(new CcfRow(operatorId, s.paymentMode() == null ? "any" : s.paymentMode().name(),
                        c.format(s.fromMinor()), s.toMinor() == null ? "" : c.format(s.toMinor()), c.format(s.flatMinor()),
                        percent(s.bps()), PricingLines.line(s)));
            }
        });
        model.addAttribute("plans", plans);
        model.addAttribute("defaultPlan", pricing.defaultPlan());
        model.addAttribute("ccf", ccf);
        model.addAttribute("modes", PaymentMode.values());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of());
        }
        return "console/pricing";
    }

    /** What a payment would be priced at now (every role: it changes nothing). */
    @GetMapping("/quote")
    String quote(@RequestParam Map<String, String> form, HttpServletResponse response, Model model) {
        model.addAttribute("form", form);
        try {
            Map<String, String> problems = new LinkedHashMap<>();
            String partnerId = form.getOrDefault("quotePartner", "").strip();
            String operatorId = form.getOrDefault("quoteOperator", "").strip();
            if (partnerId.isEmpty()) {
                problems.put("quotePartner", "is required");
            }
            Operator operator = null;
            if (operatorId.isEmpty()) {
                problems.put("quoteOperator", "is required");
            } else {
                try {
                    operator = catalog.operator(operatorId);
                } catch (BillSwitchException e) {
                    problems.put("quoteOperator", "no operator '" + operatorId + "'");
                }
            }
            Money amount = null;
            if (operator != null) {
                amount = Money.parseMajor(form.getOrDefault("amount", "").strip(), operator.currency());
                if (amount == null || amount.amountMinor() < 0) {
                    problems.put("amount", "must be an amount in " + operator.currency() + " with at most "
                            + operator.currency().minorDigits() + " decimals, e.g. " + operator.currency().format(100_000));
                }
            }
            PaymentMode mode = PricingJson.mode(form.getOrDefault("paymentMode", "CASH"));
            if (mode == null) {
                problems.put("paymentMode", "must be a BBPS payment mode");
            }
            if (!problems.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "No quote: see the fields.", problems);
            }
            Price p;
            try {
                p = pricing.quote(partnerId, operatorId, amount.amountMinor(), mode);
            } catch (BillSwitchException e) {
                throw e.code() == ErrorCode.PARTNER_NOT_FOUND ? invalid("quotePartner", "no partner '" + partnerId + "'") : e;
            }
            Currency c = operator.currency();
            model.addAttribute("quote", new QuoteRow(c.name(), c.format(amount.amountMinor()), c.format(p.ccfMinor()),
                    c.format(p.feeMinor()), c.format(p.gstMinor()), c.format(p.commissionMinor()), c.format(p.tdsMinor()),
                    c.format(p.debitMinor(amount.amountMinor())), c.format(p.netCommissionMinor()), p.planVersionId()));
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            response.setStatus(e.code().httpStatus());
        }
        return page(model);
    }

    /** A plan without versions. */
    @PostMapping("/plans")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String createPlan(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                             HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                             RedirectAttributes redirect) {
        String id = form.getOrDefault("planId", "").strip();
        String name = form.getOrDefault("planName", "");
        try {
            audit.change(me, "pricing.plan.create", line(request), "pricing-plan:" + id, () -> null,
                    () -> pricing.createPlan(id, name), v -> v);
            redirect.addFlashAttribute("notice", "Plan " + id + " created: add its first version below.");
            return "redirect:/console/pricing";
        } catch (BillSwitchException e) {
            return refused(e, Map.of("id", "planId", "name", "planName"), form, response, model);
        }
    }

    /** The plan's next version, from its rules typed one per line. */
    @PostMapping("/versions")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String addVersion(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                             HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                             RedirectAttributes redirect) {
        String planId = form.getOrDefault("versionPlan", "");
        try {
            PricingLines.Version asked = PricingLines.version(form.get("effectiveFrom"), form.get("rules"));
            PlanVersion v;
            try {
                v = audit.change(me, "pricing.version.create", line(request), "pricing-plan:" + planId,
                        () -> pricing.plan(planId).versions(), () -> pricing.addVersion(planId, asked.json(), me.name()),
                        x -> x);
            } catch (BillSwitchException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    throw invalid("versionPlan", "no pricing plan '" + planId + "'");
                }
                throw PricingLines.onLines(e, asked.lines());
            }
            redirect.addFlashAttribute("notice", "Version " + v.id() + " of plan " + planId + " starts "
                    + v.effectiveFrom() + " with " + v.rules().size() + " rule(s).");
            return "redirect:/console/pricing";
        } catch (BillSwitchException e) {
            return refused(e, Map.of(), form, response, model);
        }
    }

    /** Puts a partner on a plan, or (no plan chosen) back on the default plan. */
    @PostMapping("/assignments")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String assign(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                         HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                         RedirectAttributes redirect) {
        String partnerId = form.getOrDefault("partnerId", "").strip();
        String planId = form.getOrDefault("assignPlan", "").strip();
        try {
            if (partnerId.isEmpty()) {
                throw invalid("partnerId", "is required");
            }
            String before;
            try {
                before = pricing.assignment(partnerId);
            } catch (BillSwitchException e) {
                throw e.code() == ErrorCode.PARTNER_NOT_FOUND ? invalid("partnerId", "no partner '" + partnerId + "'") : e;
            }
            if (planId.isEmpty()) {
                if (before != null) {
                    audit.change(me, "pricing.assignment.remove", line(request), "partner:" + partnerId,
                            () -> planOf(before), () -> {
                                pricing.unassign(partnerId);
                                return null;
                            }, x -> planOf(null));
                }
                redirect.addFlashAttribute("notice", "Partner " + partnerId + " is priced by the default plan"
                        + (pricing.defaultPlan() == null ? " (none is set: the catalog's commission)." : " ("
                        + pricing.defaultPlan() + ")."));
            } else {
                audit.change(me, "pricing.assignment.set", line(request), "partner:" + partnerId, () -> planOf(before),
                        () -> pricing.assign(partnerId, planId), this::planOf);
                redirect.addFlashAttribute("notice", "Partner " + partnerId + " is priced by plan " + planId + " from now on.");
            }
            return "redirect:/console/pricing";
        } catch (BillSwitchException e) {
            return refused(e, Map.of("planId", "assignPlan"), form, response, model);
        }
    }

    /** Makes a plan the default (none chosen: no default plan). */
    @PostMapping("/default")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String setDefault(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                             HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                             RedirectAttributes redirect) {
        String planId = form.getOrDefault("defaultPlan", "").strip();
        try {
            audit.change(me, "pricing.default.set", line(request), "pricing-default", () -> planOf(pricing.defaultPlan()),
                    () -> pricing.setDefaultPlan(planId.isEmpty() ? null : planId), this::planOf);
            redirect.addFlashAttribute("notice", planId.isEmpty() ? "No default plan: partners without a plan get the"
                    + " catalog's commission." : "Plan " + planId + " is the default plan.");
            return "redirect:/console/pricing";
        } catch (BillSwitchException e) {
            return refused(e, Map.of("planId", "defaultPlan"), form, response, model);
        }
    }

    /** Replaces a biller's CCF slabs with those typed one per line (none: its catalog fee is its CCF again). */
    @PostMapping("/ccf")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String replaceCcf(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                             HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                             RedirectAttributes redirect) {
        String operatorId = form.getOrDefault("ccfOperator", "").strip();
        try {
            if (operatorId.isEmpty()) {
                throw invalid("ccfOperator", "is required");
            }
            try {
                catalog.operator(operatorId);
            } catch (BillSwitchException e) {
                throw invalid("ccfOperator", "no operator '" + operatorId + "'");
            }
            PricingLines.Version asked = PricingLines.ccfSlabs(form.get("ccfSlabs"));
            List<CcfSlab> now;
            try {
                now = audit.change(me, "pricing.ccf.replace", line(request), "operator:" + operatorId,
                        () -> pricing.ccfSlabs(operatorId), () -> pricing.replaceCcfSlabs(operatorId, asked.json()), x -> x);
            } catch (BillSwitchException e) {
                throw PricingLines.onLines(e, asked.lines());
            }
            redirect.addFlashAttribute("notice", now.isEmpty() ? "Biller " + operatorId + " has no CCF slabs: its catalog"
                    + " fee is its CCF." : "Biller " + operatorId + " has " + now.size() + " CCF slab(s).");
            return "redirect:/console/pricing";
        } catch (BillSwitchException e) {
            return refused(e, Map.of("slabs", "ccfSlabs"), form, response, model);
        }
    }

    /** The page again with the form as sent, the service's field names renamed to the form's, errors next to them. */
    private String refused(BillSwitchException e, Map<String, String> rename, Map<String, String> form,
                           HttpServletResponse response, Model model) {
        ConsolePages.refused(model, e);
        Map<String, String> errors = new LinkedHashMap<>();
        if (e.fields() != null) {
            e.fields().forEach((field, message) -> errors.merge(rename.getOrDefault(field, field), message,
                    (a, b) -> a + "; " + b));
        }
        model.addAttribute("errors", errors);
        model.addAttribute("form", form);
        response.setStatus(e.code().httpStatus());
        return page(model);
    }

    private static String percent(int bps) {
        return java.math.BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
    }

    private Map<String, Object> planOf(String planId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planId", planId);
        return m;
    }

    private static BillSwitchException invalid(String field, String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " " + message + ".", Map.of(field, message));
    }

    /** The audit log's request: "console POST /console/pricing/versions". */
    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
