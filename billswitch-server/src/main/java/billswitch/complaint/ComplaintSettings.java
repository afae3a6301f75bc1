package billswitch.complaint;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * billswitch.complaints.*: the turnaround time per type ({@code turnaround.NOT_CREDITED: 3d}...: a complaint's
 * resolution deadline is its creation plus its type's turnaround) and how often the deadline sweep runs.
 */
@ConfigurationProperties("billswitch.complaints")
public record ComplaintSettings(Map<ComplaintType, Duration> turnaround, Duration sweepInterval) {
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
    }

    public Duration turnaround(ComplaintType type) {
        return turnaround.get(type);
    }
}
