package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.api.admin.CatalogJson.OperatorView;
import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Plan;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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

    @PostMapping("/operators/{id}/plans")
    ResponseEntity<Plan> createPlan(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        Plan p = new CatalogJson().plan(id, CatalogJson.body(body));
        return ResponseEntity.status(201).body(created("catalog.plan.create", v -> "operator:" + id,
                () -> catalog.createPlan(p)));
    }
}
