package billswitch.routing;

import billswitch.catalog.Operator;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.http.Protocol;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.infra.config.BillSwitchProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Where a payment or a bill fetch goes, and the one way calls reach a connector. {@link #routesFor} gives an
 * operator's usable routes in the order to try them: its configured routes (or, with none, its catalog
 * connector), without disabled or unknown connectors, connectors whose circuit breaker is open, and upstreams
 * whose float is known to be below the amount. {@link #pay}, {@link #status} and {@link #fetch} call a connector
 * and feed its breaker; whatever a connector throws becomes UNKNOWN (or NOT_SENT for a call refused by the breaker).
 * Every call ends by its connector's deadline and never later than {@link BillSwitchProperties.Resolution#longestCall}
 * (three quarters of the initiated grace): a call cut there is UNKNOWN, so the janitor never re-asks, and never
 * refunds, an INITIATED payment whose call could still answer.
 */
@Service
public class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /**
     * What a partner reads when a call was not sent: messages reach partners (an order's failure message), so they
     * name no connector and no exception; the code on the attempt (CIRCUIT_OPEN, NO_CONNECTOR...) is for operators.
     */
    private static final String NOT_REACHED = "The operator's network could not be reached; nothing was sent";

    private final Routing routing;
    private final Health health;
    private final Duration longestCall;

    Router(Routing routing, Health health, BillSwitchProperties props) {
        this.routing = routing;
        this.health = health;
        this.longestCall = props.resolution().longestCall();
    }

    /** The longest any connector call may take: its answer (or UNKNOWN) is there by then. */
    public Duration longestCall() {
        return longestCall;
    }

    /** Where a call through this connector is cut: its own deadline, if it states one, within the longest call. */
    private long boundMillis(Connector connector) {
        Duration deadline = connector.deadline();
        return (deadline.isZero() || deadline.compareTo(longestCall) > 0 ? longestCall : deadline).toMillis();
    }

    /** The operator's routes that can take {@code amountMinor} now, best first; empty: nowhere to send it. */
    public List<Route> routesFor(Operator operator, long amountMinor) {
        Routing.Snapshot now = routing.snapshot();
        List<Route> configured = now.routes().getOrDefault(operator.id(), List.of());
        List<Route> candidates = configured.isEmpty() && operator.connector() != null
                ? List.of(new Route(operator.id(), operator.connector(), null, 0, 1, null))
                : configured;
        List<Route> usable = new ArrayList<>();
        for (Route route : candidates) {
            if (!now.usable(route.connector())) {
                continue;
            }
            if (now.configured(route.connector())
                    && (!health.available(route.connector()) || health.floatBelow(route.connector(), amountMinor))) {
                continue;
            }
            usable.add(route);
        }
        return ordered(usable);
    }

    /** Priority first, then the cheaper, then a draw weighted by weight among routes still equal. */
    private static List<Route> ordered(List<Route> routes) {
        if (routes.size() < 2) {
            return routes;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        record Drawn(Route route, double key) {
        }
        // Efraimidis-Spirakis: sorting by u^(1/weight) descending draws an order weighted by weight.
        return routes.stream().map(r -> new Drawn(r, Math.pow(random.nextDouble(), 1.0 / r.weight())))
                .sorted(Comparator.comparingInt((Drawn d) -> d.route().priority())
                        .thenComparing(d -> d.route().costMinor() == null ? Long.MAX_VALUE : d.route().costMinor())
                        .thenComparing(Drawn::key, Comparator.reverseOrder()))
                .map(Drawn::route).toList();
    }

    /** The longest a call to this connector takes to end, its cut included (zero for an unknown one). */
    public Duration deadline(String connector) {
        return routing.snapshot().connector(connector).map(c -> Duration.ofMillis(boundMillis(c))).orElse(Duration.ZERO);
    }

    public boolean knows(String connector) {
        return routing.snapshot().connector(connector).isPresent();
    }

    /** Sends one attempt through the route's connector. */
    public CompletableFuture<ConnectorResult> pay(String connector, PaymentInstruction instruction) {
        return call(connector, c -> c.pay(instruction), ConnectorResult::outcome, ConnectorResult::upstreamCode,
                () -> ConnectorResult.of(Outcome.NOT_SENT, null, "CIRCUIT_OPEN", NOT_REACHED),
                () -> ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer from the operator"),
                () -> ConnectorResult.of(Outcome.NOT_SENT, null, "NO_CONNECTOR", NOT_REACHED));
    }

    /** Asks the attempt's connector what became of it. */
    public CompletableFuture<ConnectorResult> status(String connector, PaymentInstruction instruction) {
        return call(connector, c -> c.status(instruction), ConnectorResult::outcome, ConnectorResult::upstreamCode, null,
                () -> ConnectorResult.of(Outcome.UNKNOWN, null, "EXCEPTION", "No answer to the status enquiry"),
                () -> ConnectorResult.of(Outcome.UNKNOWN, null, "NO_CONNECTOR", "The operator's network cannot be asked now"));
    }

    public CompletableFuture<BillResult> fetch(String connector, BillQuery query) {
        return call(connector, c -> c.fetchBill(query), BillResult::outcome, BillResult::upstreamCode,
                () -> BillResult.of(Outcome.NOT_SENT, "CIRCUIT_OPEN", NOT_REACHED),
                () -> BillResult.of(Outcome.UNKNOWN, "EXCEPTION", "The biller did not answer"),
                () -> BillResult.of(Outcome.NOT_SENT, "NO_CONNECTOR", NOT_REACHED));
    }

    /**
     * Forwards a complaint to the connector the payment went through. Like status enquiries, not through its breaker
     * (no money moves); a connector not known now is UNREACHED (it may be back at the next try).
     */
    public CompletableFuture<ComplaintReceipt> complain(String connector, UpstreamComplaint complaint) {
        return call(connector, c -> c.complain(complaint), r -> Outcome.UNKNOWN, r -> r.state().name(), null,
                () -> ComplaintReceipt.unreached("EXCEPTION: the call failed"),
                () -> ComplaintReceipt.unreached("NO_CONNECTOR: no connector named " + connector + " now"));
    }

    /** What the connector's upstream says now of a complaint it took. */
    public CompletableFuture<ComplaintReceipt> complaintStatus(String connector, String upstreamComplaintId) {
        return call(connector, c -> c.complaintStatus(upstreamComplaintId), r -> Outcome.UNKNOWN, r -> r.state().name(),
                null, () -> ComplaintReceipt.unreached("EXCEPTION: the call failed"),
                () -> ComplaintReceipt.unreached("NO_CONNECTOR: no connector named " + connector + " now"));
    }

    private <T> CompletableFuture<T> call(String name, Function<Connector, CompletableFuture<T>> call,
                                          Function<T, Outcome> outcome, Function<T, String> code, Supplier<T> refused,
                                          Supplier<T> failed, Supplier<T> missing) {
        Routing.Snapshot now = routing.snapshot();
        Optional<Connector> found = now.connector(name);
        if (found.isEmpty()) {
            log.warn("No connector named {}: not sent", name);
            return CompletableFuture.completedFuture(missing.get());
        }
        Connector connector = found.get();
        // Payments and fetches to a configured upstream go through its breaker; status enquiries do not (they move
        // no money, and the janitor must keep asking an upstream that is failing).
        boolean guarded = now.configured(name) && refused != null;
        if (guarded) {
            CircuitBreaker breaker = health.breaker(name);
            if (!breaker.tryAcquirePermission()) {
                return CompletableFuture.completedFuture(refused.get());
            }
        }
        long start = System.nanoTime();
        CompletableFuture<T> sent;
        try {
            sent = call.apply(connector);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.orTimeout(boundMillis(connector), TimeUnit.MILLISECONDS).handle((answer, error) -> {
            T result = answer;
            if (error != null || answer == null) {
                log.warn("Connector {} failed: outcome unknown", name, error);
                result = failed.get();
            }
            if (guarded) {
                health.record(name, outcome.apply(result), code.apply(result), start);
            }
            return result;
        });
    }

    /** The wire protocol of a connector reached over HTTP (to read its callbacks). */
    public Optional<Protocol> protocol(String connector) {
        return routing.snapshot().connector(connector)
                .filter(HttpConnector.class::isInstance).map(c -> ((HttpConnector) c).protocol());
    }

    /** A connector's live state for the admin API: its circuit, float and requests in flight. */
    public record ConnectorHealth(String circuit, Long floatMinor, Integer inFlight) {
    }

    public Optional<ConnectorHealth> health(String connector) {
        return routing.snapshot().connector(connector).filter(c -> routing.snapshot().configured(connector))
                .map(c -> new ConnectorHealth(health.circuit(connector),
                        health.floatOf(connector).isPresent() ? health.floatOf(connector).getAsLong() : null,
                        c instanceof HttpConnector http ? http.inFlight() : null));
    }
}
