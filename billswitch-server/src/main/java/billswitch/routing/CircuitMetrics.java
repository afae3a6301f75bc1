package billswitch.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * {@code billswitch_connector_circuit_state{connector}}: each configured connector's circuit breaker, 0 closed, 1 open,
 * 2 half open (a probe let through). A gauge per connector known to routing, made as routing meets it.
 */
@Component
class CircuitMetrics implements MeterBinder {
    private final Health health;

    CircuitMetrics(Health health) {
        this.health = health;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        health.onBreaker(name -> Gauge.builder("billswitch.connector.circuit.state", health, h -> h.findBreaker(name)
                        .map(b -> value(b.getState())).orElse(0.0))
                .description("A connector's circuit breaker: 0 closed, 1 open, 2 half open")
                .tag("connector", name)
                .register(registry));
    }

    static double value(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }
}
