package billswitch.complaint;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * billswitch.complaints.*: the turnaround time per type ({@code turnaround.NOT_CREDITED: 3d}...: a complaint's
 * resolution deadline is its creation plus its type's turnaround) and how often the deadline sweep runs; forwarding
 * to the upstream: how often the forwarding pass runs, the delays between tries while the upstream cannot be reached
 * (then GAVE_UP), and how often a complaint the upstream took is read there again.
 */
@ConfigurationProperties("billswitch.complaints")
public record ComplaintSettings(Map<ComplaintType, Duration> turnaround, Duration sweepInterval, Duration forwardInterval,
                                List<Duration> forwardRetryDelays, Duration upstreamPollInterval) {
    /** BBPS-like defaults when a type is not configured. */
    static final Map<ComplaintType, Duration> DEFAULTS = Map.of(
            ComplaintType.NOT_CREDITED, Duration.ofDays(3),
            ComplaintType.PAID_TWICE, Duration.ofDays(5),
            ComplaintType.WRONG_AMOUNT, Duration.ofDays(5),
            ComplaintType.WRONG_ACCOUNT, Duration.ofDays(7));

    public ComplaintSettings {
        Map<ComplaintType, Duration> all = new EnumMap<>(DEFAULTS);
        if (turnaround != null) {
            turnaround.forEach((type, d) -> {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("billswitch.complaints.turnaround." + type + " must be positive");
                }
                all.put(type, d);
            });
        }
        turnaround = Map.copyOf(all);
        if (sweepInterval == null) {
            sweepInterval = Duration.ofMinutes(1);
        }
        if (forwardInterval == null) {
            forwardInterval = Duration.ofSeconds(10);
        }
        forwardRetryDelays = forwardRetryDelays == null || forwardRetryDelays.isEmpty() ? List.of(Duration.ofSeconds(30),
                Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
                Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12)) : List.copyOf(forwardRetryDelays);
        if (upstreamPollInterval == null) {
            upstreamPollInterval = Duration.ofMinutes(30);
        }
    }

    public Duration turnaround(ComplaintType type) {
        return turnaround.get(type);
    }
}
