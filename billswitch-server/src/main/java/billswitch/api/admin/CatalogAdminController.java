package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.api.admin.CatalogJson.OperatorView;
import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Plan;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Building the catalog outside the sandbox: categories, locations, operators with their customer parameters
 * and provider codes, and plans. Every node's catalog shows a change within billswitch.catalog.refresh-interval;
 * the node that made it, at once.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogAdminController {
    private final CatalogAdmin catalog;
    private final AuditLog audit;

    CatalogAdminController(CatalogAdmin catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    /** A catalog entry made, recorded in the audit log in the transaction that writes it. */
    private <T> T created(String action, java.util.function.Function<T, String> target, java.util.function.Supplier<T> change) {
        return audit.change(AdminRequest.actor(), action, AdminRequest.line(), target, () -> null, change, v -> v);
    }

    @GetMapping("/categories")
    Map<String, List<Category>> categories() {
        return Map.of("categories", catalog.categories());
    }

    @PostMapping("/categories")
    ResponseEntity<Category> createCategory(@RequestBody(required = false) byte[] body) {
        Category c = new CatalogJson().category(CatalogJson.body(body));
        return ResponseEntity.status(201).body(created("catalog.category.create", v -> "category:" + v.id(),
                () -> catalog.createCategory(c)));
    }

    @GetMapping("/categories/{id}")
    Category category(@PathVariable String id) {
        return catalog.category(id);
    }

    /** A JSON merge patch of the category: {"enabled":false} disables it, and its operators with it. */
    @PatchMapping("/categories/{id}")
    Category editCategory(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonNode patch = CatalogJson.body(body);
        return audit.change(AdminRequest.actor(), "catalog.category.change", AdminRequest.line(), "category:" + id,
                () -> catalog.category(id), () -> catalog.editCategory(id, stored ->
                        new CatalogJson().category(CatalogJson.patched(stored, patch))), v -> v);
    }

    @GetMapping("/locations")
    Map<String, List<Location>> locations() {
        return Map.of("locations", catalog.locations());
    }

    @PostMapping("/locations")
    ResponseEntity<Location> createLocation(@RequestBody(required = false) byte[] body) {
        Location l = new CatalogJson().location(CatalogJson.body(body));
        return ResponseEntity.status(201).body(created("catalog.location.create", v -> "location:" + v.id(),
                () -> catalog.createLocation(l)));
    }

    @GetMapping("/locations/{id}")
    Location location(@PathVariable String id) {
        return catalog.location(id);
    }

    @PatchMapping("/locations/{id}")
    Location editLocation(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonNode patch = CatalogJson.body(body);
        return audit.change(AdminRequest.actor(), "catalog.location.change", AdminRequest.line(), "location:" + id,
                () -> catalog.location(id), () -> catalog.editLocation(id, stored ->
                        new CatalogJson().location(CatalogJson.patched(stored, patch))), v -> v);
    }

    /**
     * Every operator as stored, enabled or not, filtered by category, location, country, enabled, and q (a part of
     * its id or name, any case).
     */
    @GetMapping("/operators")
    Map<String, List<OperatorView>> operators(@RequestParam(required = false) String category,
                                              @RequestParam(required = false) String location,
                                              @RequestParam(required = false) String country,
                                              @RequestParam(required = false) Boolean enabled,
                                              @RequestParam(required = false) String q) {
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        return Map.of("operators", catalog.operators().stream()
                .filter(o -> category == null || o.categoryId().equals(category))
                .filter(o -> location == null || location.equals(o.locationId()))
                .filter(o -> country == null || o.country().equals(country))
                .filter(o -> enabled == null || o.enabled() == enabled)
                .filter(o -> needle == null || o.id().toLowerCase(Locale.ROOT).contains(needle)
                        || o.name().toLowerCase(Locale.ROOT).contains(needle))
                .map(OperatorView::of).toList());
    }

    @PostMapping("/operators")
    ResponseEntity<OperatorView> createOperator(@RequestBody(required = false) byte[] body) {
        billswitch.catalog.Operator o = new CatalogJson().operator(CatalogJson.body(body), null);
        return ResponseEntity.status(201).body(created("catalog.operator.create", (OperatorView v) -> "operator:" + o.id(),
                () -> OperatorView.of(catalog.createOperator(o))));
    }

    @GetMapping("/operators/{id}")
    OperatorView operator(@PathVariable String id) {
        return OperatorView.of(catalog.operator(id));
    }

    /** A JSON merge patch of the operator: the fields given replace the stored ones; params are replaced whole. */
    @PatchMapping("/operators/{id}")
    OperatorView editOperator(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonNode patch = CatalogJson.body(body);
        return audit.change(AdminRequest.actor(), "catalog.operator.change", AdminRequest.line(), "operator:" + id,
                () -> OperatorView.of(catalog.operator(id)), () -> OperatorView.of(catalog.editOperator(id, stored ->
                        new CatalogJson().operator(CatalogJson.patched(stored, patch), stored.connector()))), v -> v);
    }

    @GetMapping("/operators/{id}/plans")
    Map<String, List<Plan>> plans(@PathVariable String id) {
        return Map.of("plans", catalog.plans(id));
    }

    /** A JSON merge patch of the plan; its code never changes. */
    @PatchMapping("/operators/{id}/plans/{code}")
    Plan editPlan(@PathVariable String id, @PathVariable String code, @RequestBody(required = false) byte[] body) {
        JsonNode patch = CatalogJson.body(body);
        return audit.change(AdminRequest.actor(), "catalog.plan.change", AdminRequest.line(), "operator:" + id,
                () -> catalog.plan(id, code), () -> catalog.editPlan(id, code, stored ->
                        new CatalogJson().plan(id, CatalogJson.patched(stored, patch, "operatorId"))), v -> v);
    }

    @DeleteMapping("/operators/{id}/plans/{code}")
    ResponseEntity<Void> deletePlan(@PathVariable String id, @PathVariable String code) {
        audit.change(AdminRequest.actor(), "catalog.plan.delete", AdminRequest.line(), "operator:" + id,
                () -> catalog.plan(id, code), () -> {
                    catalog.deletePlan(id, code);
                    return null;
                }, v -> null);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/operators/{id}/plans")
    ResponseEntity<Plan> createPlan(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        Plan p = new CatalogJson().plan(id, CatalogJson.body(body));
        return ResponseEntity.status(201).body(created("catalog.plan.create", v -> "operator:" + id,
                () -> catalog.createPlan(p)));
    }
}
