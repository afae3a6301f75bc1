package billswitch.console.connectors;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.console.ConsolePages;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
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

/**
 * The console's Connectors: each upstream with its circuit, float and calls in flight; its timeouts, bound and
 * enabled flag changed by OPERATIONS and ADMIN through {@link RoutingAdmin}, audited as the admin API's changes are.
 * Its base URL is shown to ADMIN only; credentials never (their names only); both change through the admin API.
 */
@Controller
@RequestMapping("/console/connectors")
class ConnectorPages {
    private final RoutingAdmin routing;
    private final AuditLog audit;

    ConnectorPages(RoutingAdmin routing, AuditLog audit) {
        this.routing = routing;
        this.audit = audit;
    }

    @GetMapping({"", "/"})
    String list(Model model) {
        model.addAttribute("connectors", routing.connectors());
        return "console/connectors/list";
    }

    @GetMapping("/{name}")
    String connector(@PathVariable String name, Model model) {
        RoutingAdmin.ConnectorInfo c = routing.connector(name);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("connectMs", Integer.toString(c.connectTimeoutMs()));
        form.put("readMs", Integer.toString(c.readTimeoutMs()));
        form.put("maxInFlight", Integer.toString(c.maxInFlight()));
        form.put("enabled", Boolean.toString(c.enabled()));
        return page(model, c, form);
    }

    @PostMapping("/{name}")
    @PreAuthorize("hasAnyRole('OPERATIONS', 'ADMIN')")
    String change(@PathVariable String name, @RequestParam Map<String, String> fields,
                  @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request, Model model) {
        Map<String, String> problems = new LinkedHashMap<>();
        Integer connect = number(fields, "connectMs", problems);
        Integer read = number(fields, "readMs", problems);
        Integer max = number(fields, "maxInFlight", problems);
        boolean enabled = "true".equals(fields.get("enabled"));
        try {
            if (!problems.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                        "The connector has " + problems.size() + " invalid field(s).", problems);
            }
            RoutingAdmin.ConnectorDraft draft = new RoutingAdmin.ConnectorDraft(null, null, null, null, connect, read, max, enabled);
            audit.change(me, "connector.change", request.getMethod() + " " + request.getRequestURI(), "connector:" + name,
                    () -> routing.connector(name), () -> routing.change(name, draft), v -> v);
            return "redirect:/console/connectors/" + name + "?saved";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e.fields().isEmpty() ? placed(e) : e);
            return page(model, routing.connector(name), fields);
        }
    }

    /** A connector rule's message (it names no field) placed next to the field it is about. */
    private static BillSwitchException placed(BillSwitchException e) {
        String m = String.valueOf(e.getMessage());
        String field = m.startsWith("timeouts.connectMs") ? "connectMs"
                : m.startsWith("timeouts.readMs") || m.startsWith("connectMs + readMs") ? "readMs"
                : m.startsWith("maxInFlight") ? "maxInFlight" : null;
        return field == null ? e : new BillSwitchException(e.code(), e.getMessage(), Map.of(field, m));
    }

    private String page(Model model, RoutingAdmin.ConnectorInfo c, Map<String, String> form) {
        model.addAttribute("c", c);
        model.addAttribute("form", form);
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "console/connectors/connector";
    }

    private static Integer number(Map<String, String> fields, String name, Map<String, String> problems) {
        String v = fields.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            problems.put(name, "must be a whole number");
            return null;
        }
    }
}
