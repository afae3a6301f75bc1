package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.catalog.transfer.CatalogDiff;
import billswitch.catalog.transfer.UpstreamImport;
import billswitch.connector.spi.UpstreamOperator;
import java.util.List;
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
 * uploaded. {@code ?dryRun=true} answers the diff alone.
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
                              List<String> missingUpstream, List<UpstreamImport.Skipped> skipped) {
        static UpstreamImportView of(UpstreamImport.Result r, int listed, boolean dryRun, boolean applied) {
            return new UpstreamImportView(r.connector(), dryRun, applied, listed, r.diff().operators(), r.missingUpstream(),
                    r.skipped());
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
        UpstreamImport.Result done = audit.change(AdminRequest.actor(), "catalog.upstream-import", AdminRequest.line(),
                "connector:" + name, () -> null, () -> imports.importList(name, listed, false), r -> r);
        return UpstreamImportView.of(done, listed.size(), false, true);
    }
}
