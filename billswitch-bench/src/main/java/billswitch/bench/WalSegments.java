package billswitch.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's PostgreSQL write-ahead log, set up as on a server that has been running for a while.
 * A fresh cluster has no WAL segment files to reuse: each time the log crosses into a new 16 MB segment,
 * the committing backend creates the file and fills it with zeroes, and every commit waits behind it,
 * 80-100 ms on this machine, every few seconds under load: scenario (a)'s p99.9 was 113.9 ms with new
 * segments and 26.1 ms with recycled ones. A server that has been through a checkpoint renames the
 * segments it no longer needs into the next ones instead, keeping at least min_wal_size of them
 * (max_wal_size here, so all of them). So the benchmark writes through some segments once, before anything
 * is measured, and runs a checkpoint before each measured phase, which recycles what the phase before used.
 */
final class WalSegments {
    /** max_wal_size and min_wal_size of the benchmark's PostgreSQL: every segment a checkpoint frees is kept. */
    static final String WAL_SIZE = "8GB";

    private final String jdbcUrl;
    private final String password;

    WalSegments(String jdbcUrl) {
        this(jdbcUrl, "");
    }

    WalSegments(String jdbcUrl, String password) {
        this.jdbcUrl = jdbcUrl;
        this.password = password;
    }

    /**
     * Writes through {@code segments} segment files (creating those that do not exist yet), then
     * checkpoints, which recycles them all as the next ones. Returns how many are ready.
     */
    int prepare(int segments) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < segments; i++) {
                // A segment is switched away from only if something was written to it since the last switch.
                s.execute("select pg_logical_emit_message(false, 'billswitch-bench', '')");
                s.execute("select pg_switch_wal()");
            }
            return checkpoint(s);
        }
    }

    /** Checkpoints, recycling the segments written since the last one; returns how many are ready. */
    int checkpoint() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return checkpoint(s);
        }
    }

    /** The segment files after the one being written: what the log can grow into without creating any. */
    int ready() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return ready(s);
        }
    }

    private static int checkpoint(Statement s) throws SQLException {
        s.execute("checkpoint");
        return ready(s);
    }

    private static int ready(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("""
                select count(*) from pg_ls_waldir()
                where name ~ '^[0-9A-F]{24}$' and name > pg_walfile_name(pg_current_wal_lsn())""")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", password);
    }
}
