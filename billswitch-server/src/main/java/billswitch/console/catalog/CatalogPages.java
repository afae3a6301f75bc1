package billswitch.console.catalog;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Plan;
import billswitch.console.ConsolePages;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's Catalog: operators listed and filtered, created and edited with their parameters, limits, fees,
 * codes and route, enabled and disabled; categories and locations enabled and disabled. The same services as the
 * admin API ({@link CatalogAdmin}, {@link RoutingAdmin}), each change one audit entry; OPERATIONS and ADMIN may
 * change, every role may look.
 */
@Controller
@RequestMapping("/console/catalog")
class CatalogPages {
    private static final String CHANGERS = "hasAnyRole('OPERATIONS', 'ADMIN')";

    private final CatalogAdmin catalog;
    private final RoutingAdmin routing;
    private final AuditLog audit;

    CatalogPages(CatalogAdmin catalog, RoutingAdmin routing, AuditLog audit) {
        this.catalog = catalog;
        this.routing = routing;
        this.audit = audit;
    }

    @GetMapping({"", "/"})
    String list(@RequestParam(required = false) String q, @RequestParam(required = false) String category,
                @RequestParam(required = false) String enabled, Model model) {
        String needle = q == null || q.isBlank() ? null : q.toLowerCase(Locale.ROOT);
        Boolean on = enabled == null || enabled.isBlank() ? null : Boolean.valueOf(enabled);
        List<Operator> operators = catalog.operators().stream()
                .filter(o -> category == null || category.isBlank() || o.categoryId().equals(category))
                .filter(o -> on == null || o.enabled() == on)
                .filter(o -> needle == null || o.id().toLowerCase(Locale.ROOT).contains(needle)
                        || o.name().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        model.addAttribute("operators", operators);
        model.addAttribute("categories", catalog.categories());
        model.addAttribute("locations", catalog.locations());
        model.addAttribute("q", q);
        model.addAttribute("category", category);
        model.addAttribute("enabled", enabled);
        return "console/catalog/list";
    }

    @GetMapping("/operators/new")
    @PreAuthorize(CHANGERS)
    String newOperator(Model model) {
        return form(model, OperatorForm.blank(), true);
    }

    @GetMapping("/operators/{id}")
    String operator(@PathVariable String id, @RequestParam(required = false) String plan, Model model) {
        Operator o = catalog.operator(id);
        model.addAttribute("plan", plan == null ? planForm(null) : planForm(catalog.plan(id, plan)));
        model.addAttribute("planEditing", plan != null);
        return form(model, OperatorForm.of(o, routing.routes(id)), false);
    }

    /** Adds a plan or product code to the operator (POST /admin/operators/{id}/plans). */
    @PostMapping("/operators/{id}/plans")
    @PreAuthorize(CHANGERS)
    String addPlan(@PathVariable String id, @RequestParam Map<String, String> fields, @AuthenticationPrincipal AdminIdentity me,
                   HttpServletRequest request, Model model) {
        Map<String, String> form = planFields(fields, null);
        try {
            Plan p = plan(id, form);
            audit.change(me, "catalog.plan.create", line(request), "plan:" + id + "/" + p.code(), () -> null,
                    () -> catalog.createPlan(p), v -> v);
            return "redirect:/console/catalog/operators/" + id + "?planSaved#plans";
        } catch (BillSwitchException e) {
            return planRefused(id, form, false, e, model);
        }
    }

    /** Changes a plan (PATCH /admin/operators/{id}/plans/{code}); its code stays. */
    @PostMapping("/operators/{id}/plans/{code}")
    @PreAuthorize(CHANGERS)
    String editPlan(@PathVariable String id, @PathVariable String code, @RequestParam Map<String, String> fields,
                    @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request, Model model) {
        Map<String, String> form = planFields(fields, code);
        try {
            Plan p = plan(id, form);
            audit.change(me, "catalog.plan.change", line(request), "plan:" + id + "/" + code, () -> catalog.plan(id, code),
                    () -> catalog.editPlan(id, code, stored -> p), v -> v);
            return "redirect:/console/catalog/operators/" + id + "?planSaved#plans";
        } catch (BillSwitchException e) {
            return planRefused(id, form, true, e, model);
        }
    }

    /** Removes a plan (DELETE /admin/operators/{id}/plans/{code}). */
    @PostMapping("/operators/{id}/plans/{code}/delete")
    @PreAuthorize(CHANGERS)
    String removePlan(@PathVariable String id, @PathVariable String code, @AuthenticationPrincipal AdminIdentity me,
                      HttpServletRequest request) {
        audit.change(me, "catalog.plan.delete", line(request), "plan:" + id + "/" + code, () -> catalog.plan(id, code),
                () -> {
                    catalog.deletePlan(id, code);
                    return null;
                }, v -> v);
        return "redirect:/console/catalog/operators/" + id + "?planRemoved#plans";
    }

    private String planRefused(String id, Map<String, String> form, boolean editing, BillSwitchException e, Model model) {
        if (e.code() == ErrorCode.UNKNOWN_OPERATOR || e.code() == ErrorCode.NOT_FOUND) {
            throw e;
        }
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        e.fields().forEach((field, message) -> errors.put("plan." + field, message));
        model.addAttribute("errors", errors);
        model.addAttribute("planError", e.getMessage());
        model.addAttribute("plan", form);
        model.addAttribute("planEditing", editing);
        return form(model, OperatorForm.of(catalog.operator(id), routing.routes(id)), false);
    }

    private static Map<String, String> planForm(Plan p) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("code", p == null ? "" : p.code());
        form.put("locationId", p == null || p.locationId() == null ? "" : p.locationId());
        form.put("amountMinor", p == null ? "" : String.valueOf(p.amountMinor()));
        form.put("description", p == null ? "" : p.description());
        form.put("validity", p == null || p.validity() == null ? "" : p.validity());
        return form;
    }

    private static Map<String, String> planFields(Map<String, String> fields, String code) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String name : List.of("code", "locationId", "amountMinor", "description", "validity")) {
            String v = fields.get(name);
            form.put(name, v == null ? "" : v.trim());
        }
        if (code != null) {
            form.put("code", code);
        }
        return form;
    }

    /** The form's plan, or INVALID_REQUEST naming what is missing or not a number (the rules judge the rest). */
    private static Plan plan(String operatorId, Map<String, String> form) {
        Map<String, String> problems = new java.util.LinkedHashMap<>();
        for (String name : List.of("code", "amountMinor", "description")) {
            if (form.get(name).isEmpty()) {
                problems.put(name, "is required");
            }
        }
        long amount = 0;
        if (!problems.containsKey("amountMinor")) {
            try {
                amount = Long.parseLong(form.get("amountMinor"));
            } catch (NumberFormatException e) {
                problems.put("amountMinor", "must be a whole number of minor units");
            }
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The plan has " + problems.size() + " invalid field(s).",
                    problems);
        }
        return new Plan(operatorId, form.get("code"), form.get("locationId").isEmpty() ? null : form.get("locationId"),
                amount, form.get("description"), form.get("validity").isEmpty() ? null : form.get("validity"));
    }

    @PostMapping("/operators")
    @PreAuthorize(CHANGERS)
    String create(@RequestParam MultiValueMap<String, String> fields, @AuthenticationPrincipal AdminIdentity me,
                  HttpServletRequest request, Model model) {
        OperatorForm form = new OperatorForm(fields.toSingleValueMap());
        try {
            Operator o = form.operator(null);
            RoutingAdmin.RouteDraft route = form.route();
            audit.change(me, "catalog.operator.create", line(request), "operator:" + o.id(), () -> null, () -> {
                Operator created = catalog.createOperator(o);
                if (route != null) {
                    routing.setRoutes(o.id(), List.of(route));
                }
                return created;
            }, v -> v);
            return "redirect:/console/catalog/operators/" + o.id() + "?saved";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            return form(model, form, true);
        }
    }

    @PostMapping("/operators/{id}")
    @PreAuthorize(CHANGERS)
    String edit(@PathVariable String id, @RequestParam MultiValueMap<String, String> fields,
                @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request, Model model) {
        OperatorForm form = new OperatorForm(fields.toSingleValueMap());
        form.values().put("id", id);
        try {
            Operator stored = catalog.operator(id);
            Operator o = form.operator(stored.connector());
            RoutingAdmin.RouteDraft route = form.route();
            List<billswitch.routing.Route> routes = routing.routes(id);
            boolean rerouted = route != null && routes.stream().noneMatch(r -> r.connector().equals(route.connector())
                    && java.util.Objects.equals(r.upstreamCode(), route.upstreamCode()) && r.priority() == route.priority());
            audit.change(me, "catalog.operator.change", line(request), "operator:" + id,
                    () -> Map.of("operator", stored, "routes", routes), () -> {
                        Operator changed = catalog.editOperator(id, s -> o);
                        if (rerouted) {
                            routing.setRoutes(id, withRoute(routes, route));
                        }
                        return changed;
                    }, v -> Map.of("operator", v, "routes", routing.routes(id)));
            return "redirect:/console/catalog/operators/" + id + "?saved";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            return form(model, form, false);
        }
    }

    @PostMapping("/operators/{id}/enabled")
    @PreAuthorize(CHANGERS)
    String operatorEnabled(@PathVariable String id, @RequestParam boolean enabled, @AuthenticationPrincipal AdminIdentity me,
                           HttpServletRequest request) {
        audit.change(me, "catalog.operator.change", line(request), "operator:" + id, () -> catalog.operator(id),
                () -> catalog.editOperator(id, s -> s.withEnabled(enabled)), v -> v);
        return "redirect:/console/catalog";
    }

    @PostMapping("/categories/{id}/enabled")
    @PreAuthorize(CHANGERS)
    String categoryEnabled(@PathVariable String id, @RequestParam boolean enabled, @AuthenticationPrincipal AdminIdentity me,
                           HttpServletRequest request) {
        audit.change(me, "catalog.category.change", line(request), "category:" + id, () -> catalog.category(id),
                () -> catalog.editCategory(id, c -> new Category(c.id(), c.name(), c.group(), c.country(), c.providerId(),
                        enabled)), v -> v);
        return "redirect:/console/catalog";
    }

    @PostMapping("/locations/{id}/enabled")
    @PreAuthorize(CHANGERS)
    String locationEnabled(@PathVariable String id, @RequestParam boolean enabled, @AuthenticationPrincipal AdminIdentity me,
                           HttpServletRequest request) {
        audit.change(me, "catalog.location.change", line(request), "location:" + id, () -> catalog.location(id),
                () -> catalog.editLocation(id, l -> new Location(l.id(), l.name(), l.abbreviation(), l.country(),
                        l.providerId(), enabled)), v -> v);
        return "redirect:/console/catalog";
    }

    private String form(Model model, OperatorForm form, boolean creating) {
        model.addAttribute("form", form.values());
        model.addAttribute("creating", creating);
        model.addAttribute("paramRows", form.paramRows());
        model.addAttribute("categories", catalog.categories());
        model.addAttribute("locations", catalog.locations());
        model.addAttribute("kinds", Operator.Kind.values());
        model.addAttribute("fetchOptions", Operator.FetchOption.values());
        model.addAttribute("exactnesses", Operator.Exactness.values());
        model.addAttribute("types", billswitch.catalog.Param.Type.values());
        String id = form.values().get("id");
        model.addAttribute("plans", creating || id == null || id.isBlank() ? List.of() : catalog.plans(id));
        if (!model.containsAttribute("plan")) {
            model.addAttribute("plan", planForm(null));
            model.addAttribute("planEditing", false);
        }
        model.addAttribute("connectors", routing.connectors().stream().map(RoutingAdmin.ConnectorInfo::name).toList());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "console/catalog/operator";
    }

    /**
     * The operator's routes with the form's one in place of the route through the same connector (its weight and cost
     * kept), else added. Only called when the form's route differs from the stored ones: editing a name reroutes nothing.
     */
    private static List<RoutingAdmin.RouteDraft> withRoute(List<billswitch.routing.Route> routes, RoutingAdmin.RouteDraft route) {
        List<RoutingAdmin.RouteDraft> drafts = new java.util.ArrayList<>();
        RoutingAdmin.RouteDraft replacing = route;
        for (billswitch.routing.Route r : routes) {
            if (!r.connector().equals(route.connector())) {
                drafts.add(new RoutingAdmin.RouteDraft(r.connector(), r.upstreamCode(), r.priority(), r.weight(), r.costMinor(),
                        r.commissionBps()));
            } else {
                // the form edits the code and priority; the route's weight and cost stay as they are
                replacing = new RoutingAdmin.RouteDraft(route.connector(), route.upstreamCode(), route.priority(),
                        r.weight(), r.costMinor(), r.commissionBps());
            }
        }
        drafts.add(replacing);
        return drafts;
    }

    private static String line(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }

    static BillSwitchException invalid(Map<String, String> problems) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, "The operator has " + problems.size() + " invalid field(s).",
                problems);
    }
}
