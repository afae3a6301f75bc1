package billswitch.routing;

import billswitch.connector.http.HttpConnector;
import billswitch.connector.http.ProtocolType;
import billswitch.connector.spi.Connector;
import billswitch.infra.config.BillSwitchProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The live connectors and routes of this node, as an immutable snapshot every payment reads without a query.
 * Built-in connectors are Spring beans (the sandbox); configured ones are made from their rows. Every
 * {@code refresh-interval} the node reads routing_version, and rebuilds the snapshot when another node (or
 * this one) changed connectors or routes: a connector whose row is unchanged keeps its instance (and its
 * connections); a changed one is replaced and the old one retired once its calls in flight end.
 */
@Component
class Routing {
    private static final Logger log = LoggerFactory.getLogger(Routing.class);

    /** The connectors by name, which of them are configured (not built in), and each operator's routes in order. */
    record Snapshot(long version, Map<String, Connector> connectors, Map<String, ConnectorConfig> configs,
                    Map<String, List<Route>> routes) {
        Optional<Connector> connector(String name) {
            return Optional.ofNullable(connectors.get(name));
        }

        boolean configured(String name) {
            return configs.containsKey(name);
        }

        /** Known, and not a disabled configured connector. */
        boolean usable(String name) {
            ConnectorConfig config = configs.get(name);
            return connectors.containsKey(name) && (config == null || config.enabled());
        }
    }

    private final Map<String, Connector> builtIn;
    private final ConnectorConfigs configs;
    private final RouteTable routes;
    private final Health health;
    private final Clock clock;
    private final BillSwitchProperties.Routing settings;
    private final BillSwitchProperties props;
    private volatile Snapshot snapshot;

    Routing(List<Connector> builtIn, ConnectorConfigs configs, RouteTable routes, Health health, Clock clock,
            BillSwitchProperties props) {
        this.builtIn = builtIn.stream().collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
        this.configs = configs;
        this.routes = routes;
        this.health = health;
        this.clock = clock;
        this.settings = props.routing();
        this.props = props;
        this.snapshot = new Snapshot(-1, this.builtIn, Map.of(), Map.of());
        reload();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Set<String> builtInNames() {
        return builtIn.keySet();
    }

    /** Rebuilds the snapshot when routing_version moved since it was read. */
    @Scheduled(fixedDelayString = "${billswitch.routing.refresh-interval}", initialDelayString = "${billswitch.routing.refresh-interval}")
    void refresh() {
        try {
            if (configs.version() != snapshot.version()) {
                reload();
            }
        } catch (RuntimeException e) {
            log.warn("Routing refresh failed; trying again in {}", settings.refreshInterval(), e);
        }
    }

    /** Reads every connector and route now (after a change on this node, at once). */
    synchronized void reload() {
        long version = configs.version();
        Snapshot old = snapshot;
        Map<String, Connector> connectors = new LinkedHashMap<>(builtIn);
        Map<String, ConnectorConfig> configured = new LinkedHashMap<>();
        for (ConnectorConfig config : configs.all()) {
            if (builtIn.containsKey(config.name())) {
                log.warn("Connector row {} shadows a built-in connector; ignored", config.name());
                continue;
            }
            ConnectorConfig before = old.configs().get(config.name());
            Connector live = old.connectors().get(config.name());
            if (before == null || !before.updatedAt().equals(config.updatedAt()) || live == null) {
                ProtocolType type = configs.type(config.type()).orElse(null);
                if (type == null) {
                    log.warn("Connector {} has type {}, which this build does not know; skipped", config.name(), config.type());
                    continue;
                }
                try {
                    live = new HttpConnector(config.settings(), type.create(config.credentials().reveal()), clock);
                } catch (RuntimeException e) {
                    // Checked when written; a row written another way must not stop every other connector loading.
                    log.warn("Connector {} cannot be made from its settings ({}); skipped", config.name(), e.getMessage());
                    continue;
                }
                health.forget(config.name());
                if (config.settings().deadline().compareTo(props.resolution().longestCall()) > 0) {
                    log.warn("Connector {}: its timeouts end after {} (three quarters of the initiated grace); its calls are "
                            + "cut there, UNKNOWN. Lower its timeouts or raise billswitch.resolution.initiated-grace",
                            config.name(), props.resolution().longestCall());
                }
            }
            connectors.put(config.name(), live);
            configured.put(config.name(), config);
        }
        Map<String, List<Route>> byOperator = new HashMap<>();
        for (Route route : routes.all()) {
            byOperator.computeIfAbsent(route.operatorId(), k -> new ArrayList<>()).add(route);
        }
        byOperator.replaceAll((k, v) -> List.copyOf(v));
        snapshot = new Snapshot(version, Map.copyOf(connectors), Map.copyOf(configured), Map.copyOf(byOperator));
        old.connectors().forEach((name, connector) -> {
            if (connector != connectors.get(name) && connector instanceof HttpConnector http) {
                http.retire();
            }
        });
    }

    /** Asks every configured upstream for our float, side by side. */
    @Scheduled(fixedDelayString = "${billswitch.routing.float-poll-interval}", initialDelay = 1000)
    void pollFloats() {
        Snapshot now = snapshot;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : now.configs().keySet()) {
                Connector connector = now.connectors().get(name);
                if (connector != null && now.configs().get(name).enabled()) {
                    pool.submit(() -> health.pollFloat(connector, connector.deadline()));
                }
            }
        }
    }
}
