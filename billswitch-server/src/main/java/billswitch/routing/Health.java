package billswitch.routing;

import billswitch.connector.spi.Connector;
import billswitch.connector.spi.Outcome;
import billswitch.infra.config.BillSwitchProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What this node knows of each configured upstream's health: a circuit breaker per connector (resilience4j:
 * it opens after {@code breakerFailures} consecutive calls ending NOT_SENT or UNKNOWN, and after the cool-down lets
 * one probe through: its success closes it, its failure opens it again), and our float with the upstream, as its
 * balance call last said. Built-in connectors (the sandbox) have neither.
 */
@Component
class Health {
    private static final Logger log = LoggerFactory.getLogger(Health.class);
    /** Outcomes of our own making, not the upstream's: they say nothing of its health. */
    private static final Set<String> LOCAL_CODES = Set.of("IN_FLIGHT_LIMIT", "CIRCUIT_OPEN",
            "REQUEST_NOT_BUILT");

    private final CircuitBreakerRegistry breakers;
    private final Map<String, OptionalLong> floats = new ConcurrentHashMap<>();

    Health(BillSwitchProperties props) {
        BillSwitchProperties.Routing routing = props.routing();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(routing.breakerFailures())
                .minimumNumberOfCalls(routing.breakerFailures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(routing.breakerCoolDown())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    }

    CircuitBreaker breaker(String connector) {
        return breakers.circuitBreaker(connector);
    }

    /** The connector's breaker, if one was made (none is made here). */
    java.util.Optional<CircuitBreaker> findBreaker(String connector) {
        return breakers.find(connector);
    }

    /** Calls {@code made} with the name of every breaker made so far and of each one made from now on. */
    void onBreaker(java.util.function.Consumer<String> made) {
        breakers.getEventPublisher().onEntryAdded(e -> made.accept(e.getAddedEntry().getName()));
        breakers.getAllCircuitBreakers().forEach(b -> made.accept(b.getName()));
    }

    /** Whether a route to this connector may be offered: its breaker is not open. */
    boolean available(String connector) {
        return breaker(connector).getState() != CircuitBreaker.State.OPEN
                && breaker(connector).getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    /** Records a call's outcome on the connector's breaker (the call took a permission from it). */
    void record(String connector, Outcome outcome, String code, long startNanos) {
        CircuitBreaker breaker = breaker(connector);
        long took = System.nanoTime() - startNanos;
        if (code != null && LOCAL_CODES.contains(code)) {
            breaker.releasePermission();
        } else if (outcome == Outcome.NOT_SENT || outcome == Outcome.UNKNOWN) {
            breaker.onError(took, TimeUnit.NANOSECONDS, new UpstreamFailure(outcome + " " + code));
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }

    /** Whether our float with the connector's upstream is known to be below the amount. */
    boolean floatBelow(String connector, long amountMinor) {
        OptionalLong balance = floats.getOrDefault(connector, OptionalLong.empty());
        return balance.isPresent() && balance.getAsLong() < amountMinor;
    }

    OptionalLong floatOf(String connector) {
        return floats.getOrDefault(connector, OptionalLong.empty());
    }

    String circuit(String connector) {
        return breaker(connector).getState().name();
    }

    /** Asks the upstream for our float; an answer that does not come leaves the last one known. */
    void pollFloat(Connector connector, Duration wait) {
        try {
            OptionalLong balance = connector.balance().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (balance.isPresent()) {
                floats.put(connector.name(), balance);
            }
        } catch (Exception e) {
            log.debug("Float of {} not known: {}", connector.name(), e.toString());
        }
    }

    /** Forgets a connector's float (its settings changed: it may be another account now). */
    void forget(String connector) {
        floats.remove(connector);
        breakers.remove(connector);
    }

    /** Why a breaker counted a call as failed. */
    private static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure(String message) {
            super(message, null, false, false);
        }
    }
}
