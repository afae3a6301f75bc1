package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.catalog.transfer.CatalogDiff;
import billswitch.catalog.transfer.UpstreamImport;
import billswitch.connector.spi.UpstreamOperator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /admin/connectors/{name}/catalog-import: an upstream's operator list into the catalog, for that connector.
 * With no body the list is asked of the upstream through the connector; with a body it is the provider's own answer,
 * uploaded. {@code ?dryRun=true} answers the diff alone, with what a person should check (routes added, parameters
 * added, plans the upstream does not list, products outside an operator's limits).
 */
@RestController
@RequestMapping(path = "/admin/connectors", produces = MediaType.APPLICATION_JSON_VALUE)
class UpstreamImportController {
    private final UpstreamImport imports;
    private final AuditLog audit;

    UpstreamImportController(UpstreamImport imports, AuditLog audit) {
        this.imports = imports;
        this.audit = audit;
    }

    record UpstreamImportView(String connector, boolean dryRun, boolean applied, int listed, CatalogDiff.Changes operators,
                              List<String> missingUpstream, List<UpstreamImport.Skipped> skipped,
                              List<UpstreamImport.RouteChange> routeChanges, List<UpstreamImport.RouteLeft> routesNotAdded,
                              List<UpstreamImport.ParamAdded> paramsAdded, List<UpstreamImport.PlanRef> plansNotListed,
                              List<UpstreamImport.ProductOutsideLimits> productsOutsideLimits) {
        static UpstreamImportView of(UpstreamImport.Result r, int listed, boolean dryRun, boolean applied) {
            return new UpstreamImportView(r.connector(), dryRun, applied, listed, r.diff().operators(), r.missingUpstream(),
                    r.skipped(), r.routeChanges(), r.routesNotAdded(), r.paramsAdded(), r.plansNotListed(),
                    r.productsOutsideLimits());
        }
    }

    @PostMapping("/{name}/catalog-import")
    UpstreamImportView importList(@PathVariable String name, @RequestParam(defaultValue = "false") boolean dryRun,
                                  @RequestBody(required = false) byte[] body) {
        List<UpstreamOperator> listed = body == null || body.length == 0
                ? imports.pull(name) : imports.readUpload(name, CatalogJson.body(body));
        UpstreamImport.Result preview = imports.importList(name, listed, true);
        if (dryRun || preview.diff().empty()) {
            return UpstreamImportView.of(preview, listed.size(), dryRun, false);
        }
        // The entry's "before" is the changed operators' old values, known once the import (in the entry's
        // transaction) has read them; the reference is written as its content. Its "after" is the result, whose
        // diff holds each changed field's old and new values.
        AtomicReference<Object> before = new AtomicReference<>();
        UpstreamImport.Result done = audit.change(AdminRequest.actor(), "catalog.upstream-import", AdminRequest.line(),
                "connector:" + name, () -> before, () -> {
                    UpstreamImport.Result r = imports.importList(name, listed, false);
                    before.set(r.diff().before().get("operators"));
                    return r;
                }, r -> r);
        return UpstreamImportView.of(done, listed.size(), false, true);
    }
}
