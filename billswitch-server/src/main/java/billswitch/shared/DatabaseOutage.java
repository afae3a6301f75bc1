package billswitch.shared;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure is the database being away for a moment (down, failing over, a standby not promoted
 * yet, the pool out of connections) rather than a fault of ours: such a failure is answered
 * {@link ErrorCode#DATABASE_UNAVAILABLE} (503, retry with the same reference), never INTERNAL_ERROR. Read from
 * the cause chain's JDBC exceptions, whatever framework wrapped them.
 */
public final class DatabaseOutage {
    /**
     * PostgreSQL's states of an outage besides class 08 (connection exception): 25006 a write on a read-only
     * server (a standby during promotion), 57P01-57P03 the server shutting down or starting, 53300 too many
     * connections.
     */
    private static final Set<String> STATES = Set.of("25006", "57P01", "57P02", "57P03", "53300");

    private DatabaseOutage() {
    }

    /** True when {@code failure}, or anything it was caused by, says the database is unreachable or read-only. */
    public static boolean causedBy(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
