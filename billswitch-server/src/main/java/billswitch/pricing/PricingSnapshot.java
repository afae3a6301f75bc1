package billswitch.pricing;

import billswitch.catalog.Operator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything pricing needs, read in one database snapshot and never changed: every plan's versions (newest first,
 * each with its rules by operator and by category), the partners' assignments, the default plan, and the CCF slabs
 * by operator and payment mode. {@link Pricing} swaps in a fresh one when the change marker moves.
 */
record PricingSnapshot(long version, Map<String, List<Compiled>> versionsByPlan, Map<String, String> assignments,
                       String defaultPlanId, Map<String, OperatorCcf> ccf) {

    static final PricingSnapshot EMPTY = new PricingSnapshot(0, Map.of(), Map.of(), null, Map.of());

    /** A version with its rules by operator and by category. */
    record Compiled(PlanVersion version, Map<String, PricingRule> byOperator, Map<String, PricingRule> byCategory) {
        static Compiled of(PlanVersion v) {
            Map<String, PricingRule> byOperator = new HashMap<>();
            Map<String, PricingRule> byCategory = new HashMap<>();
            for (PricingRule r : v.rules()) {
                if (r.operatorId() != null) {
                    byOperator.put(r.operatorId(), r);
                } else {
                    byCategory.put(r.categoryId(), r);
                }
            }
            return new Compiled(v, Map.copyOf(byOperator), Map.copyOf(byCategory));
        }

        /** The operator's rule's commission, else its category's, else null. */
        Charge commission(Operator o) {
            PricingRule own = byOperator.get(o.id());
            if (own != null && own.commission() != null) {
                return own.commission();
            }
            PricingRule category = byCategory.get(o.categoryId());
            return category == null ? null : category.commission();
        }

        Charge fee(Operator o) {
            PricingRule own = byOperator.get(o.id());
            if (own != null && own.fee() != null) {
                return own.fee();
            }
            PricingRule category = byCategory.get(o.categoryId());
            return category == null ? null : category.fee();
        }
    }

    /** An operator's CCF slabs: those of each payment mode, and those of any mode. */
    record OperatorCcf(Map<PaymentMode, List<Slab>> byMode, List<Slab> anyMode) {
        List<Slab> slabsFor(PaymentMode mode) {
            return byMode.getOrDefault(mode, anyMode);
        }
    }

    static PricingSnapshot of(long version, List<PlanVersion> versions, Map<String, String> assignments,
                              String defaultPlanId, List<PricingTables.OperatorSlab> slabs) {
        Map<String, List<Compiled>> byPlan = new HashMap<>();
        for (PlanVersion v : versions) {
            byPlan.computeIfAbsent(v.planId(), p -> new ArrayList<>()).add(Compiled.of(v));
        }
        byPlan.replaceAll((plan, list) -> list.stream()
                .sorted(Comparator.comparing((Compiled c) -> c.version().effectiveFrom()).reversed()).toList());
        Map<String, Map<PaymentMode, List<Slab>>> modes = new HashMap<>();
        Map<String, List<Slab>> any = new HashMap<>();
        for (PricingTables.OperatorSlab s : slabs) {
            if (s.slab().paymentMode() == null) {
                any.computeIfAbsent(s.operatorId(), o -> new ArrayList<>()).add(s.slab().slab());
            } else {
                modes.computeIfAbsent(s.operatorId(), o -> new EnumMap<>(PaymentMode.class))
                        .computeIfAbsent(s.slab().paymentMode(), m -> new ArrayList<>()).add(s.slab().slab());
            }
        }
        Map<String, OperatorCcf> ccf = new HashMap<>();
        for (String operator : union(modes.keySet(), any.keySet())) {
            Map<PaymentMode, List<Slab>> byMode = new EnumMap<>(PaymentMode.class);
            modes.getOrDefault(operator, Map.of()).forEach((m, l) -> byMode.put(m, List.copyOf(l)));
            ccf.put(operator, new OperatorCcf(byMode, List.copyOf(any.getOrDefault(operator, List.of()))));
        }
        return new PricingSnapshot(version, Map.copyOf(byPlan), Map.copyOf(assignments), defaultPlanId, Map.copyOf(ccf));
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** The version in force at {@code at} of the partner's plan (its own, else the default), or null. */
    Compiled versionFor(String partnerId, Instant at) {
        String plan = assignments.getOrDefault(partnerId, defaultPlanId);
        if (plan == null) {
            return null;
        }
        for (Compiled c : versionsByPlan.getOrDefault(plan, List.of())) {
            if (!c.version().effectiveFrom().isAfter(at)) {
                return c;
            }
        }
        return null;
    }
}
