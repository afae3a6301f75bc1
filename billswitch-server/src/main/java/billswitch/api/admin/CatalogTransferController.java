package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.catalog.transfer.CatalogDiff;
import billswitch.catalog.transfer.CatalogFile;
import billswitch.catalog.transfer.CatalogTransfer;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole catalog as one JSON file: GET /admin/catalog/export, and POST /admin/catalog/import (?dryRun=true for
 * the diff alone). An import that changes something is one transaction and one audit entry whose "before" holds the
 * changed fields' old values and whose "after" is the diff (with the old and new values).
 */
@RestController
@RequestMapping(path = "/admin/catalog", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogTransferController {
    private final CatalogTransfer transfer;
    private final AuditLog audit;

    CatalogTransferController(CatalogTransfer transfer, AuditLog audit) {
        this.transfer = transfer;
        this.audit = audit;
    }

    /** What an import did (applied) or would do (a dry run, or nothing to do). */
    record ImportView(String format, boolean dryRun, boolean applied, CatalogDiff.Changes categories,
                      CatalogDiff.Changes locations, CatalogDiff.Changes operators) {
        static ImportView of(CatalogDiff diff, boolean dryRun, boolean applied) {
            return new ImportView(CatalogFile.FORMAT, dryRun, applied, diff.categories(), diff.locations(), diff.operators());
        }
    }

    @GetMapping("/export")
    ResponseEntity<ObjectNode> export() {
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"catalog.json\"")
                .body(CatalogFileJson.write(transfer.export()));
    }

    /**
     * Makes the catalog the file's: creates and changes what differs, disables what the file does not list. Importing
     * the export of the same catalog changes nothing (and writes no audit entry).
     */
    @PostMapping("/import")
    ImportView importFile(@RequestParam(defaultValue = "false") boolean dryRun, @RequestBody(required = false) byte[] body) {
        CatalogFile file = CatalogFileJson.read(CatalogJson.body(body));
        CatalogDiff preview = transfer.preview(file, true);
        if (dryRun || preview.empty()) {
            return ImportView.of(preview, dryRun, false);
        }
        // The entry's "before" is the changed fields' old values, known once the import (in the entry's transaction)
        // has read them; the reference is written as its content.
        AtomicReference<Object> before = new AtomicReference<>();
        CatalogDiff done = audit.change(AdminRequest.actor(), "catalog.import", AdminRequest.line(), "catalog",
                () -> before, () -> {
                    CatalogDiff d = transfer.importFile(file, true, false);
                    before.set(d.before());
                    return d;
                }, d -> d);
        return ImportView.of(done, false, true);
    }
}
