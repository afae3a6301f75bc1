package billswitch.catalog;

/** A state, circle or region an operator serves; providerId is its number in numeric-id dialects. */
public record Location(String id, String name, String abbreviation, String country, int providerId) {
}
