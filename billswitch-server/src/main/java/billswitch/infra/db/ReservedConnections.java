package billswitch.infra.db;

import java.util.function.Supplier;

/**
 * Marks the work that takes its connection from the payment batches' own small pool (see {@link DatabaseConfig}):
 * a batch lane's transaction never queues for a connection behind request threads, the janitor or the admin API,
 * however many slow queries hold the general pool.
 */
public final class ReservedConnections {
    private static final ThreadLocal<Boolean> BATCH = new ThreadLocal<>();

    private ReservedConnections() {
    }

    /** Runs {@code work} (one batch's transaction) on a connection of the batches' pool. */
    public static <T> T forBatch(Supplier<T> work) {
        Boolean before = BATCH.get();
        BATCH.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (before == null) {
                BATCH.remove();
            }
        }
    }

    /** Whether this thread is running a batch now. */
    static boolean inBatch() {
        return BATCH.get() != null;
    }
}
