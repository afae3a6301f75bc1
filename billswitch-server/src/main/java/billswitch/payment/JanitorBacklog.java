package billswitch.payment;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.metrics.Sampled;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The status janitor's backlog: orders due for a status check now (PENDING, UNKNOWN, and INITIATED ones whose call
 * outlived the initiated grace), and how long the longest-due one has waited. One query on the janitor's own index,
 * at most every {@link #SAMPLE_EVERY} however often it is scraped, and never on the payment path. Readiness ("janitor")
 * is DOWN while that wait exceeds billswitch.resolution.max-lag.
 */
@Component("janitorHealthIndicator")
class JanitorBacklog implements MeterBinder, HealthIndicator {
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    record Backlog(long due, double oldestDueSeconds) {
    }

    private final Sampled<Backlog> backlog;
    private final Duration maxLag;
    private final boolean enabled;

    JanitorBacklog(JdbcClient jdbc, BillSwitchProperties props) {
        this.maxLag = props.resolution().maxLag();
        this.enabled = props.resolution().enabled();
        this.backlog = new Sampled<>("The janitor's backlog", SAMPLE_EVERY, new Backlog(0, 0), () -> jdbc.sql("""
                select count(*), coalesce(extract(epoch from now() - min(next_check_at)), 0) from orders
                where status in ('INITIATED', 'PENDING', 'UNKNOWN') and next_check_at <= now()""")
                .query((rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2))).single());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("billswitch.janitor.backlog", this, j -> j.backlog.get().due())
                .description("Orders due for a status check now (PENDING, UNKNOWN, orphaned INITIATED)")
                .register(registry);
        Gauge.builder("billswitch.janitor.oldest.due", this, j -> j.backlog.get().oldestDueSeconds())
                .description("How long the longest-due order has waited for its status check")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public Health health() {
        Backlog now = backlog.get();
        boolean behind = now.oldestDueSeconds() > maxLag.toSeconds();
        return (behind ? Health.down() : Health.up())
                .withDetail("due", now.due())
                .withDetail("oldestDueSeconds", Math.round(now.oldestDueSeconds()))
                .withDetail("maxLagSeconds", maxLag.toSeconds())
                .withDetail("enabled", enabled)
                .build();
    }
}
