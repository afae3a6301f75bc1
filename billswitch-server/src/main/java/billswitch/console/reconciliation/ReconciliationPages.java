package billswitch.console.reconciliation;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.console.ConsolePages;
import billswitch.reconciliation.ReconciliationRun;
import billswitch.reconciliation.Reconciliations;
import billswitch.reconciliation.SettlementStatements;
import billswitch.routing.Router;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Reconciliation in the console: the runs (connector, day, counts per outcome), one run's lines, the open cases with
 * what each side says and a form to resolve one with a note, an import form (connector, day, the upstream's report
 * or none to pull the day through status enquiries), and a day's settlement statements per partner and per upstream
 * with their CSV. The same services as POST /admin/reconciliations and the reconcile command ({@link Reconciliations},
 * audited there), with the admin API's roles: OPERATIONS, FINANCE and ADMIN import; OPERATIONS and ADMIN resolve.
 */
@Controller
@RequestMapping("/console/reconciliation")
class ReconciliationPages {
    private static final String IMPORTERS = "hasAnyRole('OPERATIONS', 'FINANCE', 'ADMIN')";
    private static final String RESOLVERS = "hasAnyRole('OPERATIONS', 'ADMIN')";
    /** Wallets listed on a day's statements page. */
    private static final int STATEMENT_WALLETS = 200;

    private final Reconciliations reconciliations;
    private final SettlementStatements statements;
    private final RoutingAdmin routing;
    private final Router router;

    ReconciliationPages(Reconciliations reconciliations, SettlementStatements statements, RoutingAdmin routing,
                        Router router) {
        this.reconciliations = reconciliations;
        this.statements = statements;
        this.routing = routing;
        this.router = router;
    }

    /** The connectors a day may be reconciled for: the built-in sandbox (in sandbox mode) and the configured ones. */
    private List<String> connectors() {
        List<String> names = new ArrayList<>();
        if (router.knows("sandbox")) {
            names.add("sandbox");
        }
        routing.connectors().stream().map(RoutingAdmin.ConnectorInfo::name).filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    /** An open case as the page shows it: our side and theirs, field by field. */
    record CaseRow(long id, long runId, String connector, LocalDate date, String kind, Long orderId, String reference,
                   String ourAmount, String ourStatus, String upstreamId, String theirAmount, String theirStatus,
                   String ours, String theirs) {
        static CaseRow of(ReconciliationRun.OpenCase o) {
            ReconciliationRun.Case c = o.reconciliationCase();
            ReconciliationRun.Line l = o.line();
            Currency currency = o.currency() == null ? null : Currency.valueOf(o.currency());
            String ourAmount = l.ourAmountMinor() == null || currency == null ? null
                    : currency.format(l.ourAmountMinor()) + " " + currency;
            String theirStatus = l.upstreamStatus() == null ? null
                    : l.upstreamStatus() + (l.upstreamOutcome() == null ? "" : " (" + l.upstreamOutcome() + ")");
            return new CaseRow(c.id(), c.runId(), c.connector(), c.date(), c.kind(), l.orderId(), l.reference(), ourAmount,
                    l.ourStatus(), l.upstreamId(), l.upstreamAmount(), theirStatus, c.ours(), c.theirs());
        }
    }

    @GetMapping
    String index(@AuthenticationPrincipal AdminIdentity me, Model model) {
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        if (!model.containsAttribute("date")) {
            model.addAttribute("date", LocalDate.now(reconciliations.zone()).toString());
        }
        model.addAttribute("canReconcile", me.is(AdminRole.OPERATIONS, AdminRole.FINANCE, AdminRole.ADMIN));
        model.addAttribute("connectors", connectors());
        model.addAttribute("runs", reconciliations.runs(null, null, 50));
        model.addAttribute("cases", reconciliations.openCasesWithLines(200).stream().map(CaseRow::of).toList());
        model.addAttribute("zone", reconciliations.zone().getId());
        return "console/reconciliation/index";
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable String id, Model model) {
        ReconciliationRun.Detail detail = reconciliations.detail(number(id, "run"), false);
        model.addAttribute("run", detail.run());
        model.addAttribute("lines", detail.lines());
        return "console/reconciliation/run";
    }

    /** Reconciles a connector's day against the uploaded report, or pulls it when no file is chosen. */
    @PostMapping("/import")
    @PreAuthorize(IMPORTERS)
    public String reconcile(@RequestParam(defaultValue = "") String connector, @RequestParam(defaultValue = "") String date,
                            @RequestParam(required = false) MultipartFile file, @AuthenticationPrincipal AdminIdentity me,
                            HttpServletRequest request, HttpServletResponse response, Model model,
                            RedirectAttributes redirect) throws IOException {
        model.addAttribute("connector", connector);
        model.addAttribute("date", date);
        Map<String, String> errors = new LinkedHashMap<>();
        if (connector.isBlank()) {
            errors.put("connector", "Choose the connector whose day to reconcile.");
        }
        LocalDate day = null;
        try {
            day = reconciliations.day(date, "date");
        } catch (BillSwitchException e) {
            errors.put("date", e.fields().getOrDefault("date", e.getMessage()));
        }
        if (!errors.isEmpty()) {
            return refused(me, model, response, errors, "Nothing was reconciled: see the fields below.", 400);
        }
        try {
            byte[] report = file == null || file.isEmpty() ? null : file.getBytes();
            ReconciliationRun.Detail detail = reconciliations.reconcile(connector, day, report, me, line(request));
            ReconciliationRun run = detail.run();
            redirect.addFlashAttribute("notice", run.repeated()
                    ? "This report was reconciled before (run " + run.id() + "): nothing was changed."
                    : "Reconciled " + connector + " for " + run.date() + ": " + run.counts().settled() + " settled, "
                    + run.counts().cases() + " cases opened.");
            return "redirect:/console/reconciliation/runs/" + run.id();
        } catch (BillSwitchException e) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (e.code() == ErrorCode.CONNECTOR_NOT_FOUND) {
                fields.put("connector", e.getMessage());
            } else if (e.fields() != null && e.fields().containsKey("date")) {
                fields.put("date", e.fields().get("date"));
            } else {
                fields.put("file", e.getMessage());
            }
            return refused(me, model, response, fields, "Nothing was reconciled: " + e.getMessage(), e.code().httpStatus());
        }
    }

    /** Resolves an open case with a note (audited); the note's error is shown next to that case's note. */
    @PostMapping("/cases/{id}/close")
    @PreAuthorize(RESOLVERS)
    public String close(@PathVariable String id, @RequestParam(defaultValue = "") String note,
                        @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request, HttpServletResponse response,
                        Model model, RedirectAttributes redirect) {
        long caseId = number(id, "case");
        try {
            ReconciliationRun.Case closed = reconciliations.close(caseId, note, me, line(request));
            redirect.addFlashAttribute("notice", "Case " + closed.id() + " resolved by " + closed.closedBy() + ".");
            return "redirect:/console/reconciliation#cases";
        } catch (BillSwitchException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw e;
            }
            model.addAttribute("errorCase", caseId);
            model.addAttribute("note", note);
            String problem = e.fields().containsKey("note") ? "The note " + e.fields().get("note") + "." : e.getMessage();
            return refused(me, model, response, Map.of("note", problem), "Case " + caseId + " was not resolved: "
                    + e.getMessage(), e.code().httpStatus());
        }
    }

    /** A day's statements: every partner wallet (or one partner's) and every upstream connector's accounts. */
    @GetMapping("/statements")
    String statements(@RequestParam(required = false) String date, @RequestParam(required = false) String partner,
                      HttpServletResponse response, Model model) {
        String asked = date == null || date.isBlank() ? LocalDate.now(reconciliations.zone()).toString() : date.trim();
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        model.addAttribute("date", asked);
        model.addAttribute("partner", partnerId);
        model.addAttribute("zone", reconciliations.zone().getId());
        try {
            Day d = day(reconciliations.day(asked, "date"), partnerId);
            model.addAttribute("partners", d.partners());
            model.addAttribute("upstreams", d.upstreams());
            model.addAttribute("errors", Map.of());
        } catch (BillSwitchException e) {
            model.addAttribute("partners", List.of());
            model.addAttribute("upstreams", List.of());
            model.addAttribute("errors", Map.of("date", e.fields().getOrDefault("date", e.getMessage())));
            response.setStatus(400);
        }
        return "console/reconciliation/statements";
    }

    /** The same statements as CSV (subject, date, currency, line, amount_minor, amount). */
    @GetMapping("/statements.csv")
    void statementsCsv(@RequestParam(required = false) String date, @RequestParam(required = false) String partner,
                       HttpServletResponse response) throws IOException {
        LocalDate day = reconciliations.day(date, "date");
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        Day d = day(day, partnerId);
        List<SettlementStatements.Statement> all = new ArrayList<>(d.partners());
        all.addAll(d.upstreams());
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"statements-" + day
                + (partnerId == null ? "" : "-" + partnerId.replaceAll("[^A-Za-z0-9._-]", "_")) + ".csv\"");
        SettlementStatements.writeCsv(all, response.getOutputStream());
    }

    private record Day(List<SettlementStatements.Statement> partners, List<SettlementStatements.Statement> upstreams) {
    }

    private Day day(LocalDate day, String partnerId) {
        List<SettlementStatements.Statement> partners = statements.wallets(partnerId, STATEMENT_WALLETS).stream()
                .map(w -> statements.partner(w.partnerId(), w.currency(), day)).toList();
        List<SettlementStatements.Statement> upstreams = new ArrayList<>();
        if (partnerId == null) {
            for (String connector : connectors()) {
                upstreams.addAll(statements.upstream(connector, day));
            }
        }
        return new Day(partners, upstreams);
    }

    private String refused(AdminIdentity me, Model model, HttpServletResponse response, Map<String, String> errors,
                           String message, int status) {
        ConsolePages.refused(model, new BillSwitchException(ErrorCode.INVALID_REQUEST, message, errors));
        response.setStatus(status);
        return index(me, model);
    }

    private static long number(String id, String what) {
        if (id == null || !id.matches("[0-9]{1,18}")) {
            throw new BillSwitchException(ErrorCode.NOT_FOUND, "No reconciliation " + what + " " + id + ".");
        }
        return Long.parseLong(id);
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
