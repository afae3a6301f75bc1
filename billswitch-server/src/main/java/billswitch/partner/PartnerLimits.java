package billswitch.partner;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.annotation.PostConstruct;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Per-partner request limits, in memory on each node: a rate (token bucket: {@code requestsPerSecond} on
 * average, bursts of {@code burst}) and a number of requests answered at once ({@code maxInFlight}). A request
 * over either is refused {@link ErrorCode#RATE_LIMITED} before it reads the database, so one partner cannot
 * take the connections every partner's payments need. The configured defaults (billswitch.limits) apply
 * to a partner without an override (PUT /admin/partners/{id}/limits, kept in partner_limits and re-read by
 * every node every refresh interval). Limits are per node: N nodes admit up to N times as much.
 */
@Service
public class PartnerLimits {
    private static final Logger log = LoggerFactory.getLogger(PartnerLimits.class);

    /** A partner's limits; 0 is no limit. */
    public record Limits(int requestsPerSecond, int burst, int maxInFlight) {
        boolean none() {
            return requestsPerSecond == 0 && maxInFlight == 0;
        }

        /** The bucket's size: {@code burst}, or one second's worth when 0. */
        int bucket() {
            return burst > 0 ? burst : requestsPerSecond;
        }
    }

    /** A partner's override: null fields keep the default. */
    public record Overrides(Integer requestsPerSecond, Integer burst, Integer maxInFlight) {
        Limits over(Limits defaults) {
            return new Limits(requestsPerSecond != null ? requestsPerSecond : defaults.requestsPerSecond(),
                    burst != null ? burst : defaults.burst(), maxInFlight != null ? maxInFlight : defaults.maxInFlight());
        }
    }

    /** What an admitted request gives back when it has been answered. Closing it twice gives back once. */
    public interface Permit extends AutoCloseable {
        void close();
    }

    private static final Permit NONE = () -> { };

    /** A partner's use of its limits on this node. */
    private static final class Usage {
        private final AtomicInteger inFlight = new AtomicInteger();
        private double tokens = -1;
        private long refilledAt;

        synchronized boolean take(Limits limits, long nowNanos) {
            int size = limits.bucket();
            if (tokens < 0) {
                tokens = size;
            } else {
                tokens = Math.min(size, tokens + (nowNanos - refilledAt) * limits.requestsPerSecond() / 1e9);
            }
            refilledAt = nowNanos;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private final JdbcClient jdbc;
    private final Limits defaults;
    private volatile Map<String, Overrides> overrides = Map.of();
    private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();

    PartnerLimits(JdbcClient jdbc, BillSwitchProperties props) {
        this.jdbc = jdbc;
        BillSwitchProperties.Limits configured = props.limits();
        this.defaults = new Limits(configured.requestsPerSecond(), configured.burst(), configured.maxInFlight());
    }

    @PostConstruct
    void load() {
        refresh();
    }

    /** Re-reads every partner's override (a small table), off the request path. */
    @Scheduled(fixedDelayString = "${billswitch.limits.refresh-interval}", initialDelayString = "${billswitch.limits.refresh-interval}")
    void refresh() {
        try {
            Map<String, Overrides> read = new HashMap<>();
            jdbc.sql("select partner_id, requests_per_second, burst, max_in_flight from partner_limits")
                    .query((rs, n) -> read.put(rs.getString(1), new Overrides((Integer) rs.getObject(2),
                            (Integer) rs.getObject(3), (Integer) rs.getObject(4))))
                    .list();
            overrides = Map.copyOf(read);
        } catch (RuntimeException e) {
            log.warn("Reading the partners' limits failed; the ones read before stay ({})", e.toString());
        }
    }

    /** The limits that apply to a partner on this node. */
    public Limits of(String partnerId) {
        Overrides override = overrides.get(partnerId);
        return override == null ? defaults : override.over(defaults);
    }

    /** The partner's override as stored (null fields: the defaults). */
    public Overrides override(String partnerId) {
        return overrides.getOrDefault(partnerId, new Overrides(null, null, null));
    }

    /** Sets a partner's override (null fields: the defaults); this node applies it at once, the others within their refresh. */
    public Limits set(String partnerId, Overrides override) {
        jdbc.sql("""
                insert into partner_limits (partner_id, requests_per_second, burst, max_in_flight)
                values (:id, :rps, :burst, :inFlight)
                on conflict (partner_id) do update set requests_per_second = excluded.requests_per_second,
                    burst = excluded.burst, max_in_flight = excluded.max_in_flight, updated_at = now()""")
                .param("id", partnerId).param("rps", override.requestsPerSecond()).param("burst", override.burst())
                .param("inFlight", override.maxInFlight()).update();
        Map<String, Overrides> updated = new HashMap<>(overrides);
        updated.put(partnerId, override);
        overrides = Map.copyOf(updated);
        usage.remove(partnerId);
        return of(partnerId);
    }

    /**
     * Admits one request of the partner, or refuses it RATE_LIMITED (nothing else done). The permit must be
     * closed once the request has been answered.
     */
    public Permit admit(String partnerId) {
        Limits limits = of(partnerId);
        if (limits.none()) {
            return NONE;
        }
        Usage use = usage.computeIfAbsent(partnerId, id -> new Usage());
        if (limits.requestsPerSecond() > 0 && !use.take(limits, System.nanoTime())) {
            throw new BillSwitchException(ErrorCode.RATE_LIMITED, "More than " + limits.requestsPerSecond()
                    + " requests a second (bursts of " + limits.bucket() + ") for this partner; retry after Retry-After seconds.");
        }
        if (limits.maxInFlight() == 0) {
            return NONE;
        }
        if (use.inFlight.incrementAndGet() > limits.maxInFlight()) {
            use.inFlight.decrementAndGet();
            throw new BillSwitchException(ErrorCode.RATE_LIMITED, "More than " + limits.maxInFlight()
                    + " requests of this partner at once; retry after Retry-After seconds.");
        }
        AtomicInteger counter = use.inFlight;
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                counter.decrementAndGet();
            }
        };
    }
}
