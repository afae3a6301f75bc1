package billswitch.api.admin;

import billswitch.reconciliation.ReconciliationRun;
import billswitch.reconciliation.Reconciliations;
import billswitch.reconciliation.SettlementStatements;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reconciliation against upstreams and daily settlement statements ({@link Reconciliations},
 * {@link SettlementStatements}). POST /admin/reconciliations?connector=&date= with the upstream's report as the body
 * (its CSV or JSON, any content type) or no body to pull the day through status enquiries: 201 with the run, its
 * lines and cases; the same report again answers 200 with the first run ("repeated": true). OPERATIONS, FINANCE and
 * ADMIN run reconciliations; OPERATIONS and ADMIN close cases; every identity reads.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class ReconciliationController {
    private final Reconciliations reconciliations;
    private final SettlementStatements statements;

    ReconciliationController(Reconciliations reconciliations, SettlementStatements statements) {
        this.reconciliations = reconciliations;
        this.statements = statements;
    }

    @PostMapping("/reconciliations")
    ResponseEntity<ReconciliationRun.Detail> reconcile(@RequestParam(required = false) String connector,
                                                       @RequestParam(required = false) String date,
                                                       @RequestBody(required = false) byte[] body) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (connector == null || connector.isBlank()) {
            problems.put("connector", "is required");
        }
        LocalDate day = null;
        try {
            day = reconciliations.day(date, "date");
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
        }
        refuse(problems);
        ReconciliationRun.Detail detail = reconciliations.reconcile(connector, day,
                body == null || body.length == 0 ? null : body, AdminRequest.actor(), AdminRequest.line());
        return ResponseEntity.status(detail.run().repeated() ? HttpStatus.OK : HttpStatus.CREATED).body(detail);
    }

    @GetMapping("/reconciliations")
    List<ReconciliationRun> runs(@RequestParam(required = false) String connector, @RequestParam(required = false) String date,
                                 @RequestParam(defaultValue = "50") int limit) {
        LocalDate day = date == null || date.isBlank() ? null : reconciliations.day(date, "date");
        return reconciliations.runs(connector == null || connector.isBlank() ? null : connector, day,
                Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/reconciliations/{id}")
    ReconciliationRun.Detail run(@PathVariable String id) {
        return reconciliations.detail(id(id, "id"), false);
    }

    @GetMapping("/reconciliations/cases")
    List<ReconciliationRun.Case> openCases(@RequestParam(defaultValue = "200") int limit) {
        return reconciliations.openCases(Math.max(1, Math.min(limit, 1000)));
    }

    /** Closes an open case: {"note": "..."} (required). */
    @PostMapping("/reconciliations/cases/{id}/close")
    ReconciliationRun.Case close(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        String note = CatalogJson.body(body).path("note").isString() ? CatalogJson.body(body).path("note").asString() : null;
        return reconciliations.close(id(id, "id"), note, AdminRequest.actor(), AdminRequest.line());
    }

    /** A partner's wallet statement of a day, JSON or (Accept: text/csv, or format=csv) CSV. */
    @GetMapping(path = "/statements/partners/{partnerId}", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    Object partner(@PathVariable String partnerId, @RequestParam(required = false) String date,
                   @RequestParam(required = false) String currency, @RequestParam(required = false) String format,
                   HttpServletResponse response) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        LocalDate day = day(date, problems);
        Currency c = null;
        try {
            c = Currency.parse(currency);
        } catch (BillSwitchException e) {
            problems.put("currency", "must be one of " + Arrays.toString(Currency.values()));
        }
        refuse(problems);
        SettlementStatements.Statement s = statements.partner(partnerId, c, day);
        if ("csv".equals(format)) {
            csv(response, "statement-" + partnerId + "-" + c + "-" + day + ".csv", List.of(s));
            return null;
        }
        return s;
    }

    /** An upstream connector's statements of a day (one per currency of its UPSTREAM accounts), JSON or CSV. */
    @GetMapping(path = "/statements/upstreams/{connector}", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    Object upstream(@PathVariable String connector, @RequestParam(required = false) String date,
                    @RequestParam(required = false) String format, HttpServletResponse response) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        LocalDate day = day(date, problems);
        refuse(problems);
        List<SettlementStatements.Statement> s = statements.upstream(connector, day);
        if ("csv".equals(format)) {
            csv(response, "upstream-" + connector + "-" + day + ".csv", s);
            return null;
        }
        return s;
    }

    private LocalDate day(String date, Map<String, String> problems) {
        try {
            return reconciliations.day(date, "date");
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
            return null;
        }
    }

    private static void csv(HttpServletResponse response, String filename, List<SettlementStatements.Statement> s)
            throws IOException {
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        SettlementStatements.writeCsv(s, response.getOutputStream());
    }

    private static long id(String id, String field) {
        if (id == null || !id.matches("[0-9]{1,18}")) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " must be a number.", Map.of(field, "must be a number"));
        }
        return Long.parseLong(id);
    }

    private static void refuse(Map<String, String> problems) {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid request: " + problems + ".", problems);
        }
    }
}
