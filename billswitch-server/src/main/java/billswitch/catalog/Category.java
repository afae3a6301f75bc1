package billswitch.catalog;

/**
 * A category of operators; providerId is the number numeric-id dialects (Eko) use for it. A disabled one is hidden
 * from partners and its operators are refused for payments.
 */
public record Category(String id, String name, String group, String country, int providerId, boolean enabled) {
}
