package billswitch.pricing;

import java.time.Instant;
import java.util.List;

/**
 * A pricing plan as stored: its versions (oldest first), the partners assigned to it, and whether it is the default
 * plan (that of every partner not assigned one).
 */
public record PricingPlan(String id, String name, Instant createdAt, boolean isDefault, List<PlanVersion> versions,
                          List<String> partners) {

    public PricingPlan {
        versions = List.copyOf(versions);
        partners = List.copyOf(partners);
    }
}
