package billswitch.catalog;

/**
 * A state, circle or region an operator serves; providerId is its number in numeric-id dialects. A disabled one is
 * hidden from partners and the operators in it are refused for payments.
 */
public record Location(String id, String name, String abbreviation, String country, int providerId, boolean enabled) {
}
