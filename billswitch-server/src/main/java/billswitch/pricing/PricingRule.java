package billswitch.pricing;

/**
 * A rule of a plan version, for one operator or for every operator of one category (exactly one of the two):
 * the partner's commission and fee (either may be null: that part is not set by this rule). An operator's own
 * rule wins over its category's, part by part.
 */
public record PricingRule(String operatorId, String categoryId, Charge commission, Charge fee) {
}
