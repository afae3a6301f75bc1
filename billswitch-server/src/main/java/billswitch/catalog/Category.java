package billswitch.catalog;

/** A category of operators; providerId is the number numeric-id dialects (Eko) use for it. */
public record Category(String id, String name, String group, String country, int providerId) {
}
