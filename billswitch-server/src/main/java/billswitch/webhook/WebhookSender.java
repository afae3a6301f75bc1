package billswitch.webhook;

import billswitch.infra.logging.PaymentMdc;
import static billswitch.infra.db.SqlArrays.bigint;

import billswitch.partner.CallbackUrl;
import billswitch.partner.PartnerService;
import billswitch.shared.DatabaseOutage;
import billswitch.infra.config.BillSwitchProperties;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox: claims due events with SKIP LOCKED (never one whose order has an earlier
 * undelivered event, so each order's events arrive in order), leases them, POSTs each signed to the
 * partner's callback URL, logs the attempt, and reschedules failures on the bounded retry schedule; past
 * the last retry an event is DEAD until an operator redelivers it. Each attempt goes to the partner's callback URL
 * as it is at that attempt (a retry follows a changed URL), checked again then ({@link CallbackUrl}) and sent to
 * the address checked ({@link CallbackPost}). The delivery log keeps generic reasons only ("connection failed",
 * "timeout", "HTTP 500", "address not allowed"); the detail goes to the server's log.
 */
@Component
public class WebhookSender {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int MAX_ERROR_TEXT = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final PartnerService partners;
    private final Clock clock;
    private final BillSwitchProperties.Webhooks config;
    private final boolean sandbox;

    WebhookSender(JdbcClient jdbc, TransactionTemplate tx, PartnerService partners, Clock clock, BillSwitchProperties props) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.partners = partners;
        this.clock = clock;
        this.config = props.webhooks();
        this.sandbox = props.sandbox().enabled();
    }

    private record Due(long id, String eventId, String partnerId, String type, String payload, int attempts, long orderId,
                       String reference) {
    }

    @Scheduled(fixedDelayString = "${billswitch.webhooks.poll-interval}", initialDelayString = "${billswitch.webhooks.poll-interval}")
    void run() {
        if (!config.enabled()) {
            return;
        }
        try {
            while (deliverDue() == config.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                // Failing over: an event sent but not marked delivered is sent again (receivers deduplicate by id).
                log.warn("Webhook pass stopped: the database is unavailable ({}); it runs again in {}", e, config.pollInterval());
            } else {
                log.warn("Webhook pass failed; it runs again in {}", config.pollInterval(), e);
            }
        }
    }

    /** One pass over at most one batch of due events; returns how many were claimed. */
    public int deliverDue() {
        List<Due> due = tx.execute(s -> {
            List<Due> claimed = jdbc.sql("""
                    select e.id, e.event_id, e.partner_id, e.type, e.payload, e.attempts, e.order_id, o.reference
                    from webhook_events e join orders o on o.id = e.order_id
                    where e.status = 'PENDING' and e.next_attempt_at <= now()
                      and not exists (select 1 from webhook_events p
                                      where p.order_id = e.order_id and p.id < e.id and p.status <> 'DELIVERED')
                    order by e.id limit :batch
                    for update of e skip locked""")
                    .param("batch", config.batchSize())
                    .query((rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getString(8)))
                    .list();
            if (!claimed.isEmpty()) {
                jdbc.sql("update webhook_events set next_attempt_at = :lease where id = any(:ids)")
                        .param("lease", Timestamp.from(clock.instant().plus(config.lease())))
                        .param("ids", bigint(claimed.stream().map(Due::id).toArray())).update();
            }
            return claimed;
        });
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Due event : due) {
                pool.submit(() -> {
                    PaymentMdc.order(event.orderId(), event.partnerId(), event.reference());
                    try {
                        deliver(event);
                    } finally {
                        PaymentMdc.clear();
                    }
                });
            }
        }
        return due.size();
    }

    private void deliver(Due event) {
        int attempt = event.attempts() + 1;
        long started = System.nanoTime();
        // One deadline for the whole delivery: name lookup, connect, TLS and the answer.
        long deadline = started + config.timeout().toNanos();
        String url = "(none)";
        Integer status = null;
        String error = null;
        try {
            Optional<PartnerService.Webhook> webhook = partners.webhook(event.partnerId());
            if (webhook.isEmpty()) {
                record(event, attempt, url, null, "The partner has no callback URL or webhook secret", 0);
                return;
            }
            url = webhook.get().callbackUrl();
            CallbackUrl target = CallbackUrl.parse(url, sandbox);
            List<InetAddress> addresses = target.resolve(sandbox, deadline);
            long t = clock.millis() / 1000;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "BillSwitch-Webhooks/1");
            headers.put("BillSwitch-Event-Id", event.eventId());
            headers.put("BillSwitch-Event-Type", event.type());
            headers.put(WebhookSignature.HEADER, WebhookSignature.header(webhook.get().secret().reveal(), t, event.payload()));
            status = CallbackPost.post(target, addresses, headers, event.payload().getBytes(StandardCharsets.UTF_8),
                    deadline);
            if (status / 100 != 2) {
                error = "HTTP " + status;
            }
        } catch (CallbackUrl.Unresolved e) {
            error = "host not resolved";
            log.info("Webhook {} of partner {} not sent: its callback URL's {}", event.eventId(), event.partnerId(),
                    e.getMessage());
        } catch (CallbackUrl.Refused e) {
            error = "address not allowed";
            log.warn("Webhook {} of partner {} not sent: its callback URL {}", event.eventId(), event.partnerId(),
                    e.getMessage());
        } catch (CallbackPost.Failed e) {
            error = e.getMessage();
            log.info("Webhook {} of partner {}: {} ({})", event.eventId(), event.partnerId(), e.getMessage(),
                    e.getCause() == null ? "no detail" : e.getCause().toString());
        } catch (RuntimeException e) {
            // a bug or a broken secret: still an attempt, so the event is retried and in the end goes DEAD
            error = "internal error";
            log.warn("Webhook {} of partner {} failed", event.eventId(), event.partnerId(), e);
        }
        record(event, attempt, url, status, error, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private void record(Due event, int attempt, String url, Integer status, String error, long durationMs) {
        String shortError = error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR_TEXT));
        tx.executeWithoutResult(s -> {
            jdbc.sql("""
                    insert into webhook_deliveries (event_id, attempt, url, http_status, error, duration_ms)
                    values (:event, :attempt, :url, :status, :error, :duration)""")
                    .param("event", event.id()).param("attempt", attempt).param("url", url).param("status", status)
                    .param("error", shortError).param("duration", durationMs).update();
            if (shortError == null) {
                jdbc.sql("update webhook_events set status = 'DELIVERED', attempts = :attempt, delivered_at = now(), "
                                + "last_error = null where id = :id")
                        .param("attempt", attempt).param("id", event.id()).update();
            } else {
                boolean dead = attempt > config.retryDelays().size();
                Instant next = dead ? clock.instant() : clock.instant().plus(config.retryDelays().get(attempt - 1));
                jdbc.sql("update webhook_events set status = :status, attempts = :attempt, next_attempt_at = :next, "
                                + "last_error = :error where id = :id")
                        .param("status", dead ? "DEAD" : "PENDING").param("attempt", attempt)
                        .param("next", Timestamp.from(next)).param("error", shortError).param("id", event.id()).update();
            }
        });
    }
}
