package billswitch.api.admin;

import billswitch.admin.AdminRole;
import billswitch.admin.AuditLog;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.http.JsonBody;
import billswitch.partner.CallbackUrl;
import billswitch.routing.Route;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Upstream connectors and operators' routes (issue 29's fixed admin interface): POST/GET /admin/connectors,
 * GET/PATCH /admin/connectors/{name}, PUT/GET /admin/operators/{operatorId}/routes. Credentials go in and never
 * come out: an answer lists only their names.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class RoutingController {
    private static final Set<String> FIELDS = Set.of("name", "type", "baseUrl", "credentials", "timeouts", "maxInFlight",
            "enabled");
    private static final Set<String> TIMEOUTS = Set.of("connectMs", "readMs");
    private static final Set<String> ROUTE_FIELDS = Set.of("connector", "upstreamCode", "priority", "weight", "cost",
            "commissionBps");

    private final RoutingAdmin routing;
    private final AuditLog audit;
    private final boolean sandbox;
    private final boolean allowPrivateUpstreams;

    RoutingController(RoutingAdmin routing, AuditLog audit, BillSwitchProperties props) {
        this.routing = routing;
        this.audit = audit;
        this.sandbox = props.sandbox().enabled();
        this.allowPrivateUpstreams = props.routing().allowPrivateUpstreams();
    }

    record Timeouts(int connectMs, int readMs) {
    }

    record ConnectorView(String name, String type, String baseUrl, Timeouts timeouts, int maxInFlight, boolean enabled,
                         Set<String> credentials, String circuit, Long floatMinor, Integer inFlight) {
        static ConnectorView of(RoutingAdmin.ConnectorInfo c) {
            return new ConnectorView(c.name(), c.type(), c.baseUrl(), new Timeouts(c.connectTimeoutMs(), c.readTimeoutMs()),
                    c.maxInFlight(), c.enabled(), c.credentials(), c.health() == null ? null : c.health().circuit(),
                    c.health() == null ? null : c.health().floatMinor(), c.health() == null ? null : c.health().inFlight());
        }
    }

    @PostMapping("/connectors")
    ResponseEntity<ConnectorView> create(@RequestBody(required = false) byte[] body) {
        RoutingAdmin.ConnectorDraft draft = draft(body, true);
        audit.change(AdminRequest.actor(), "connector.create", AdminRequest.line(), "connector:" + draft.name(),
                () -> null, () -> ConnectorView.of(routing.create(draft)), v -> v);
        // read again once committed and reloaded: with its circuit breaker's state
        return ResponseEntity.status(201).body(one(draft.name()));
    }

    record ConnectorsView(List<ConnectorView> connectors, Set<String> types) {
    }

    /** Every configured connector, and the types this build can make. */
    @GetMapping("/connectors")
    ConnectorsView list() {
        return new ConnectorsView(routing.connectors().stream().map(ConnectorView::of).toList(), routing.types());
    }

    @GetMapping("/connectors/{name}")
    ConnectorView one(@PathVariable String name) {
        return ConnectorView.of(routing.connector(name));
    }

    @PatchMapping("/connectors/{name}")
    ConnectorView change(@PathVariable String name, @RequestBody(required = false) byte[] body) {
        RoutingAdmin.ConnectorDraft draft = draft(body, false);
        if ((draft.baseUrl() != null || draft.credentials() != null) && !AdminRequest.actor().is(AdminRole.ADMIN)) {
            // where every later request goes, signed with the stored credentials: as much as creating one
            throw new BillSwitchException(ErrorCode.ADMIN_FORBIDDEN,
                    "Only an ADMIN may change a connector's baseUrl or credentials.");
        }
        audit.change(AdminRequest.actor(), "connector.change", AdminRequest.line(), "connector:" + name,
                () -> ConnectorView.of(routing.connector(name)), () -> ConnectorView.of(routing.change(name, draft)), v -> v);
        return one(name);
    }

    private RoutingAdmin.ConnectorDraft draft(byte[] body, boolean creating) {
        JsonBody in = JsonBody.parse(body).allowOnly(FIELDS);
        String name = creating ? in.requiredString("name") : in.optionalString("name");
        String type = creating ? in.requiredString("type") : in.optionalString("type");
        String baseUrl = creating ? in.requiredString("baseUrl") : in.optionalString("baseUrl");
        Map<String, String> credentials = in.optionalStringMap("credentials");
        JsonBody timeouts = in.optionalObject("timeouts", TIMEOUTS);
        Integer connectMs = timeouts == null ? null : timeouts.optionalInt("connectMs");
        Integer readMs = timeouts == null ? null : timeouts.optionalInt("readMs");
        Integer maxInFlight = in.optionalInt("maxInFlight");
        Boolean enabled = in.optionalBoolean("enabled");
        in.validate();
        if (baseUrl != null) {
            try {
                CallbackUrl.checkUpstream(baseUrl, sandbox, allowPrivateUpstreams);
            } catch (CallbackUrl.Refused e) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "baseUrl refused: " + e.getMessage(),
                        Map.of("baseUrl", e.getMessage()));
            }
        }
        return new RoutingAdmin.ConnectorDraft(name, type, baseUrl,
                credentials.isEmpty() && !creating ? null : credentials, connectMs, readMs, maxInFlight, enabled);
    }

    record RouteView(String connector, String upstreamCode, int priority, int weight, Long cost, int commissionBps) {
        static RouteView of(Route r) {
            return new RouteView(r.connector(), r.upstreamCode(), r.priority(), r.weight(), r.costMinor(),
                    r.commissionBps());
        }
    }

    @PutMapping("/operators/{operatorId}/routes")
    List<RouteView> setRoutes(@PathVariable String operatorId, @RequestBody(required = false) byte[] body) {
        List<RoutingAdmin.RouteDraft> drafts = routes(body);
        return audit.change(AdminRequest.actor(), "operator.routes", AdminRequest.line(), "operator:" + operatorId,
                () -> routes(operatorId), () -> routing.setRoutes(operatorId, drafts).stream().map(RouteView::of).toList(),
                v -> v);
    }

    @GetMapping("/operators/{operatorId}/routes")
    List<RouteView> routes(@PathVariable String operatorId) {
        return routing.routes(operatorId).stream().map(RouteView::of).toList();
    }

    /** The body of PUT .../routes: a JSON array of route objects. */
    private static List<RoutingAdmin.RouteDraft> routes(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON, "The request body is empty; a JSON array of routes is expected.");
        }
        JsonNode root;
        try {
            root = JsonBody.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The request body must be a JSON array: [{\"connector\",\"upstreamCode\",\"priority\"}, ...].");
        }
        List<RoutingAdmin.RouteDraft> drafts = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonBody in = JsonBody.parse(JsonBody.mapper().writeValueAsBytes(root.get(i))).allowOnly(ROUTE_FIELDS);
            RoutingAdmin.RouteDraft d = new RoutingAdmin.RouteDraft(in.requiredString("connector"),
                    in.requiredString("upstreamCode"), in.optionalInt("priority"), in.optionalInt("weight"),
                    in.optionalLong("cost"), in.optionalInt("commissionBps"));
            try {
                in.validate();
            } catch (BillSwitchException e) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Route " + i + " is invalid.", e.fields());
            }
            drafts.add(d);
        }
        return drafts;
    }
}
