package billswitch.routing;

import billswitch.catalog.CatalogAdmin;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.UpstreamOperator;
import billswitch.infra.db.AfterCommit;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the admin API does to connectors and routes. Each change is written in one transaction with a bump of
 * routing_version, then this node reloads at once; the other nodes follow within their refresh interval.
 * Credentials are write-only: no answer carries them, only their names.
 */
@Service
public class RoutingAdmin {
    private final ConnectorConfigs configs;
    private final RouteTable routes;
    private final Routing routing;
    private final Router router;
    private final CatalogAdmin catalog;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    RoutingAdmin(ConnectorConfigs configs, RouteTable routes, Routing routing, Router router, CatalogAdmin catalog,
                 TransactionTemplate tx, ApplicationEventPublisher events) {
        this.events = events;
        this.configs = configs;
        this.routes = routes;
        this.routing = routing;
        this.router = router;
        this.catalog = catalog;
        this.tx = tx;
    }

    /** A configured connector as the admin API shows it: never its credentials' values. */
    public record ConnectorInfo(String name, String type, String baseUrl, int connectTimeoutMs, int readTimeoutMs,
                                int maxInFlight, boolean enabled, Set<String> credentials, Router.ConnectorHealth health) {
    }

    /** A connector to create or change; null fields are not given. */
    public record ConnectorDraft(String name, String type, String baseUrl, Map<String, String> credentials,
                                 Integer connectTimeoutMs, Integer readTimeoutMs, Integer maxInFlight, Boolean enabled) {
        ConnectorConfigs.Draft draft() {
            return new ConnectorConfigs.Draft(name, type, baseUrl, credentials, connectTimeoutMs, readTimeoutMs, maxInFlight,
                    enabled);
        }
    }

    public ConnectorInfo create(ConnectorDraft draft) {
        ConnectorConfig created = tx.execute(s -> {
            ConnectorConfig c = configs.create(draft.draft(), routing.builtInNames());
            events.publishEvent(new ConnectorCreated(c.name()));
            return c;
        });
        AfterCommit.run(routing::reload);
        return info(created);
    }

    public ConnectorInfo change(String name, ConnectorDraft draft) {
        ConnectorConfig changed = tx.execute(s -> configs.patch(name, draft.draft()));
        AfterCommit.run(routing::reload);
        return info(changed);
    }

    public List<ConnectorInfo> connectors() {
        return configs.all().stream().map(this::info).toList();
    }

    public ConnectorInfo connector(String name) {
        return configs.find(name).map(this::info)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "No connector '" + name + "'."));
    }

    public Set<String> types() {
        return configs.typeNames();
    }

    /**
     * A route as the admin API receives it: {@code cost}, what the upstream charges us per payment (minor units);
     * {@code commissionBps}, what it pays us on a payment's amount (basis points; null: 0).
     */
    public record RouteDraft(String connector, String upstreamCode, Integer priority, Integer weight, Long cost,
                             Integer commissionBps) {
        public RouteDraft(String connector, String upstreamCode, Integer priority, Integer weight, Long cost) {
            this(connector, upstreamCode, priority, weight, cost, null);
        }
    }

    /** Replaces the operator's routes; an empty list returns it to its catalog connector, if it has one. */
    public List<Route> setRoutes(String operatorId, List<RouteDraft> drafts) {
        catalog.operator(operatorId);
        if (drafts == null) {
            throw invalid("the body must be a JSON array of routes");
        }
        Set<String> seen = new HashSet<>();
        List<Route> list = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            RouteDraft d = drafts.get(i);
            String at = "routes[" + i + "].";
            if (d == null || d.connector() == null || d.connector().isBlank()) {
                throw invalid(at + "connector is required");
            }
            if (!routing.builtInNames().contains(d.connector()) && configs.find(d.connector()).isEmpty()) {
                throw new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, at + "connector: no connector '" + d.connector() + "'.");
            }
            if (!seen.add(d.connector())) {
                throw invalid(at + "connector '" + d.connector() + "' is listed twice");
            }
            if (d.upstreamCode() == null || d.upstreamCode().isBlank() || d.upstreamCode().length() > 64) {
                throw invalid(at + "upstreamCode is required (1-64 characters): the operator as that upstream codes it");
            }
            if (d.priority() == null || d.priority() < 0) {
                throw invalid(at + "priority is required, 0 or more (lower is tried first)");
            }
            if (d.weight() != null && d.weight() < 1) {
                throw invalid(at + "weight must be 1 or more");
            }
            if (d.cost() != null && d.cost() < 0) {
                throw invalid(at + "cost must be 0 or more (minor units)");
            }
            if (d.commissionBps() != null && (d.commissionBps() < 0 || d.commissionBps() > 10_000)) {
                throw invalid(at + "commissionBps must be between 0 and 10000 (basis points of the amount)");
            }
            list.add(new Route(operatorId, d.connector(), d.upstreamCode(), d.priority(), d.weight() == null ? 1 : d.weight(),
                    d.cost(), d.commissionBps() == null ? 0 : d.commissionBps()));
        }
        tx.executeWithoutResult(s -> {
            routes.replace(operatorId, list);
            configs.bumpVersion();
        });
        AfterCommit.run(routing::reload);
        return routes(operatorId);
    }

    public List<Route> routes(String operatorId) {
        catalog.operator(operatorId);
        return routes.of(operatorId);
    }

    /** Every operator's routes as stored, in the order they are tried. */
    public Map<String, List<Route>> allRoutes() {
        Map<String, List<Route>> all = new LinkedHashMap<>();
        for (Route r : routes.all()) {
            all.computeIfAbsent(r.operatorId(), k -> new ArrayList<>()).add(r);
        }
        return all;
    }

    /**
     * The operators the connector's upstream lists (Eko's operators with their parameters, AppotaPay's topup product
     * codes), asked of the upstream now through the connector. CONNECTOR_NOT_FOUND for an unknown connector,
     * INVALID_REQUEST when its type lists none, UPSTREAM_UNAVAILABLE saying why when the upstream could not be asked.
     */
    public List<UpstreamOperator> upstreamOperators(String name) {
        ConnectorInfo info = connector(name);
        Connector live = routing.snapshot().connector(name).orElseThrow(() -> new BillSwitchException(
                ErrorCode.CONNECTOR_NOT_FOUND, "Connector '" + name + "' is not loaded (its credentials do not open?)."));
        if (!(live instanceof HttpConnector http)) {
            throw invalid("connector '" + name + "' (" + info.type() + ") lists no operators");
        }
        try {
            return http.operators().orElseThrow(() ->
                    invalid("connector '" + name + "' (" + info.type() + ") lists no operators"));
        } catch (IllegalStateException e) {
            throw new BillSwitchException(ErrorCode.UPSTREAM_UNAVAILABLE, e.getMessage());
        }
    }

    /** Whether a connector of that name exists (configured or built in): a route may name it. */
    public boolean connectorExists(String name) {
        return routing.builtInNames().contains(name) || configs.find(name).isPresent();
    }

    private ConnectorInfo info(ConnectorConfig c) {
        return new ConnectorInfo(c.name(), c.type(), c.baseUrl().toString(), c.connectTimeoutMs(), c.readTimeoutMs(),
                c.maxInFlight(), c.enabled(), new TreeSet<>(c.credentials().reveal().keySet()),
                router.health(c.name()).orElse(null));
    }

    private static BillSwitchException invalid(String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, message);
    }
}
