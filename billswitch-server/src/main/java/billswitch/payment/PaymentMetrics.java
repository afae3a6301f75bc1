package billswitch.payment;

import billswitch.catalog.Catalog;
import billswitch.routing.Router;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * The payments' own metrics (README "Observability"): {@code billswitch_payments_total} (status, operator, connector,
 * dialect), counted once when a payment's first answer is recorded and once more when a later answer moves it to a
 * final state or NEEDS_REVIEW; {@code billswitch_payment_duration_seconds}, its time to a final state, per operator and
 * connector; {@code billswitch_payments_in_flight}, payments being answered now. Labels are bounded: an operator the
 * catalog does not hold, a connector routing does not know and a dialect other than the four are "none". Counters are
 * made once per label set and found again by two map lookups and an array index: nothing is built per payment.
 */
@Component
class PaymentMetrics {
    static final String NONE = "none";
    private static final String[] DIALECTS = {"native", "aopay", "eko", "appotapay"};
    private static final OrderStatus[] STATUSES = OrderStatus.values();
    /** Buckets of the time to a final state: a payment settles in milliseconds, or after the janitor's checks. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(12)};

    private final MeterRegistry registry;
    private final Catalog catalog;
    private final Router router;
    private final Clock clock;
    private final LongAdder inFlight = new LongAdder();
    /** operator label, then connector label: that pair's meters. */
    private final Map<String, Map<String, Series>> series = new ConcurrentHashMap<>();

    PaymentMetrics(MeterRegistry registry, Catalog catalog, Router router, Clock clock) {
        this.registry = registry;
        this.catalog = catalog;
        this.router = router;
        this.clock = clock;
        Gauge.builder("billswitch.payments.in.flight", inFlight, LongAdder::sum)
                .description("Payments being answered now: a request waiting on its payment, the upstream's answer included")
                .register(registry);
    }

    void started() {
        inFlight.increment();
    }

    void ended() {
        inFlight.decrement();
    }

    /** The order reached {@code order.status()} through {@code connector} (null: not known). */
    void reached(Order order, String connector) {
        Series s = series(order.operatorId(), connector);
        s.counter(order.status(), dialect(order.dialect())).increment();
        if (order.status().isFinal() && order.createdAt() != null) {
            long nanos = Duration.between(order.createdAt(), clock.instant()).toNanos();
            s.duration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    private Series series(String operatorId, String connector) {
        Map<String, Series> byConnector = operatorId == null ? null : series.get(operatorId);
        String operator = operatorId;
        if (byConnector == null) {
            operator = operatorId != null && catalog.find(operatorId).isPresent() ? operatorId : NONE;
            byConnector = series.computeIfAbsent(operator, o -> new ConcurrentHashMap<>());
        }
        Series s = connector == null ? null : byConnector.get(connector);
        if (s == null) {
            String label = connector != null && router.knows(connector) ? connector : NONE;
            String operatorLabel = operator;
            s = byConnector.computeIfAbsent(label, c -> new Series(operatorLabel, c));
        }
        return s;
    }

    private static int dialect(String dialect) {
        if (dialect != null) {
            for (int i = 0; i < DIALECTS.length; i++) {
                if (DIALECTS[i].equalsIgnoreCase(dialect)) {
                    return i;
                }
            }
        }
        return DIALECTS.length;
    }

    /** One operator and connector's counters (by status and dialect, made when first counted) and duration. */
    private final class Series {
        private final String operator;
        private final String connector;
        private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(STATUSES.length * (DIALECTS.length + 1));
        private final Timer duration;

        Series(String operator, String connector) {
            this.operator = operator;
            this.connector = connector;
            this.duration = Timer.builder("billswitch.payment.duration")
                    .description("Time from a payment's placement to its final state")
                    .tags("operator", operator, "connector", connector)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry);
        }

        Counter counter(OrderStatus status, int dialect) {
            int i = status.ordinal() * (DIALECTS.length + 1) + dialect;
            Counter c = counters.get(i);
            if (c == null) {
                c = Counter.builder("billswitch.payments")
                        .description("Payments by the state they reached: at their first answer, and at a later final state")
                        .tags("status", status.name(), "operator", operator, "connector", connector,
                                "dialect", dialect < DIALECTS.length ? DIALECTS[dialect] : NONE)
                        .register(registry);
                counters.compareAndSet(i, null, c);
            }
            return c;
        }
    }
}
