package billswitch.ledger;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The platform shards (SETTLEMENT and COMMISSION accounts, {@value #COUNT} of each per currency) a caller
 * picks from, at random per batch so concurrent batches rarely share a platform row. Callers that run side
 * by side each take a disjoint part ({@link #part}): batches of two parts whose wallets differ then never
 * wait on each other's locks.
 */
public record Shards(int part, int parts) {
    /** How many shards each platform account kind has per currency (the database has them all). */
    public static final int COUNT = 16;
    /** Every shard. */
    public static final Shards ALL = new Shards(0, 1);

    public Shards {
        if (parts < 1 || parts > COUNT || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + " (at most " + COUNT + " parts)");
        }
    }

    /** A shard of this part at random: part, part + parts, part + 2 x parts, ... */
    int pick() {
        int owned = (COUNT - part + parts - 1) / parts;
        return part + parts * ThreadLocalRandom.current().nextInt(owned);
    }
}
