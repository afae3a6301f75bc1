package billswitch.webhook;

import billswitch.infra.metrics.Sampled;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook outbox's backlog: events not delivered yet (PENDING, retries included) and the age of the oldest. One
 * query on the outbox's own index, at most every few seconds however often it is scraped.
 */
@Component
class WebhookBacklog implements MeterBinder {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    private record Backlog(long pending, double oldestSeconds) {
    }

    private final Sampled<Backlog> backlog;

    WebhookBacklog(JdbcClient jdbc) {
        this.backlog = new Sampled<>("The webhook backlog", SAMPLE_EVERY, new Backlog(0, 0), () -> jdbc.sql("""
                select count(*), coalesce(extract(epoch from now() - min(created_at)), 0) from webhook_events
                where status = 'PENDING'""")
                .query((rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2))).single());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("billswitch.webhooks.backlog", this, w -> w.backlog.get().pending())
                .description("Webhook events not delivered yet (retries included)")
                .register(registry);
        Gauge.builder("billswitch.webhooks.oldest.age", this, w -> w.backlog.get().oldestSeconds())
                .description("Age of the oldest webhook event not delivered yet")
                .baseUnit("seconds")
                .register(registry);
    }
}
