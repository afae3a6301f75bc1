package billswitch.pricing;

import java.time.Instant;
import java.util.List;

/** A version of a pricing plan: its rules, in force from {@code effectiveFrom} until the plan's next version starts. */
public record PlanVersion(long id, String planId, Instant effectiveFrom, List<PricingRule> rules, Instant createdAt,
                          String createdBy) {

    public PlanVersion {
        rules = List.copyOf(rules);
    }
}
