package billswitch.console.catalog;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.catalog.transfer.CatalogDiff;
import billswitch.catalog.transfer.CatalogFile;
import billswitch.catalog.transfer.CatalogFileCodec;
import billswitch.catalog.transfer.CatalogTransfer;
import billswitch.catalog.transfer.UpstreamImport;
import billswitch.connector.spi.UpstreamOperator;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The whole catalog as one file in the console, and an upstream's operator list: the export downloaded (the JSON of
 * GET /admin/catalog/export), a file uploaded and previewed (the dry run's diff, or its errors by their place in the
 * file), then applied. The previewed file (or the upstream's list as pulled or uploaded) is kept in the HTTP session
 * under its digest, and Apply applies exactly that one: the same services as POST /admin/catalog/import and POST
 * /admin/connectors/{name}/catalog-import ({@link CatalogTransfer}, {@link UpstreamImport}), one audit entry each.
 */
@Controller
@RequestMapping("/console/catalog")
class CatalogTransferPages {
    private static final String CHANGERS = "hasAnyRole('OPERATIONS', 'ADMIN')";
    private static final String PENDING_FILE = CatalogTransferPages.class.getName() + ".file";
    private static final String PENDING_LIST = CatalogTransferPages.class.getName() + ".list";

    private final CatalogTransfer transfer;
    private final UpstreamImport upstream;
    private final CatalogFileCodec codec;
    private final RoutingAdmin routing;
    private final AuditLog audit;

    CatalogTransferPages(CatalogTransfer transfer, UpstreamImport upstream, CatalogFileCodec codec, RoutingAdmin routing,
                         AuditLog audit) {
        this.transfer = transfer;
        this.upstream = upstream;
        this.codec = codec;
        this.routing = routing;
        this.audit = audit;
    }

    /** A previewed catalog file, kept until it is applied or another is previewed. */
    record PendingFile(String digest, String name, byte[] bytes) {
    }

    /** A previewed upstream list: the connector's operators as pulled or uploaded, under a digest of the preview. */
    record PendingList(String digest, String connector, String source, List<UpstreamOperator> listed) {
    }

    @GetMapping(path = "/export")
    ResponseEntity<byte[]> export() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"catalog.json\"")
                .body(codec.write(transfer.export()));
    }

    @GetMapping("/import")
    String importPage(@RequestParam(required = false) String connector, Model model) {
        model.addAttribute("connector", connector);
        return page(model);
    }

    @PostMapping("/import/preview")
    @PreAuthorize(CHANGERS)
    String preview(@RequestParam(required = false) MultipartFile file, HttpSession session, Model model) throws IOException {
        session.removeAttribute(PENDING_FILE);
        if (file == null || file.isEmpty()) {
            return refused(model, "file", "Choose the catalog file (the JSON an export downloads).", Map.of());
        }
        byte[] bytes = file.getBytes();
        try {
            CatalogDiff diff = transfer.preview(codec.read(bytes), true);
            PendingFile pending = new PendingFile(digest(bytes), file.getOriginalFilename(), bytes);
            session.setAttribute(PENDING_FILE, pending);
            model.addAttribute("diff", diff);
            model.addAttribute("pending", pending);
            return page(model);
        } catch (BillSwitchException e) {
            return refused(model, "file", e.getMessage(), e.fields());
        }
    }

    @PostMapping("/import/apply")
    @PreAuthorize(CHANGERS)
    String apply(@RequestParam(defaultValue = "") String digest, @AuthenticationPrincipal AdminIdentity me,
                 HttpServletRequest request, HttpSession session, Model model) {
        PendingFile pending = session.getAttribute(PENDING_FILE) instanceof PendingFile p ? p : null;
        if (pending == null || !pending.digest().equals(digest)) {
            return refused(model, "file", "That preview is no longer the one kept for you (another was previewed, or the "
                    + "session is new): upload the file and preview it again.", Map.of());
        }
        session.removeAttribute(PENDING_FILE);
        CatalogFile file = codec.read(pending.bytes());
        CatalogDiff done = audit.change(me, "catalog.import", line(request), "catalog", () -> null,
                () -> transfer.importFile(file, true, false), d -> d);
        model.addAttribute("applied", done);
        model.addAttribute("appliedName", pending.name());
        return page(model);
    }

    @PostMapping("/upstream-import/preview")
    @PreAuthorize(CHANGERS)
    String upstreamPreview(@RequestParam(defaultValue = "") String connector, @RequestParam(required = false) MultipartFile file,
                           HttpSession session, Model model) throws IOException {
        session.removeAttribute(PENDING_LIST);
        model.addAttribute("connector", connector);
        if (connector.isBlank()) {
            return refusedUpstream(model, "connector", "Choose the connector whose upstream's list to import.", Map.of());
        }
        try {
            boolean uploaded = file != null && !file.isEmpty();
            List<UpstreamOperator> listed = uploaded
                    ? upstream.readUpload(connector, codec.json(file.getBytes())) : upstream.pull(connector);
            UpstreamImport.Result result = upstream.importList(connector, listed, true);
            PendingList pending = new PendingList(UUID.randomUUID().toString(), connector,
                    uploaded ? "the uploaded file " + file.getOriginalFilename() : "pulled from the upstream", listed);
            session.setAttribute(PENDING_LIST, pending);
            model.addAttribute("upstreamResult", result);
            model.addAttribute("upstreamPending", pending);
            return page(model);
        } catch (BillSwitchException e) {
            return refusedUpstream(model, "upstreamFile", e.getMessage(), e.fields());
        }
    }

    @PostMapping("/upstream-import/apply")
    @PreAuthorize(CHANGERS)
    String upstreamApply(@RequestParam(defaultValue = "") String digest, @AuthenticationPrincipal AdminIdentity me,
                         HttpServletRequest request, HttpSession session, Model model) {
        PendingList pending = session.getAttribute(PENDING_LIST) instanceof PendingList p ? p : null;
        if (pending == null || !pending.digest().equals(digest)) {
            return refusedUpstream(model, "upstreamFile", "That preview is no longer the one kept for you: preview the "
                    + "upstream's list again.", Map.of());
        }
        session.removeAttribute(PENDING_LIST);
        UpstreamImport.Result done = audit.change(me, "catalog.upstream-import", line(request),
                "connector:" + pending.connector(), () -> null,
                () -> upstream.importList(pending.connector(), pending.listed(), false), r -> r);
        model.addAttribute("upstreamApplied", done);
        model.addAttribute("connector", pending.connector());
        return page(model);
    }

    private String refused(Model model, String field, String message, Map<String, String> places) {
        model.addAttribute("errors", Map.of(field, message));
        model.addAttribute("places", places == null ? Map.of() : places);
        return page(model);
    }

    private String refusedUpstream(Model model, String field, String message, Map<String, String> places) {
        model.addAttribute("errors", Map.of(field, message));
        model.addAttribute("upstreamPlaces", places == null ? Map.of() : places);
        return page(model);
    }

    private String page(Model model) {
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        model.addAttribute("connectors", routing.connectors().stream().map(RoutingAdmin.ConnectorInfo::name).toList());
        model.addAttribute("maxFileMiB", CatalogUploadLimit.MAX_BYTES / (1024 * 1024));
        return "console/catalog/import";
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
