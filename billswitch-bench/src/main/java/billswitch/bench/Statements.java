package billswitch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The profile of the database side of a scenario: the statements that took the most time, from
 * pg_stat_statements, written next to the results (statements-SCENARIO.txt) and then reset.
 */
final class Statements {
    private final String jdbcUrl;

    private Statements(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Creates the extension in the server's database; the server was started with it preloaded. */
    static Statements install(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
        }
        return new Statements(jdbcUrl);
    }

    /** Updates the planner's statistics of every table, as autovacuum does on a running system. */
    void analyze() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("analyze");
        }
    }

    void reset() {
        dump(null);
    }

    /** Writes the top statements since the last reset (unless file is null), then resets. Never fails the run. */
    void dump(Path file) {
        StringBuilder out = new StringBuilder(String.format("%10s %12s %9s %8s %9s %10s  %s%n", "calls", "total ms", "mean ms", "plans", "plan ms", "rows", "query"));
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    select calls, total_exec_time, mean_exec_time, plans, mean_plan_time, rows, regexp_replace(query, '\\s+', ' ', 'g')
                    from pg_stat_statements where dbid = (select oid from pg_database where datname = 'postgres')
                    order by total_exec_time desc limit 25""")) {
                while (rs.next()) {
                    out.append(String.format("%10d %12.1f %9.3f %8d %9.3f %10d  %s%n", rs.getLong(1), rs.getDouble(2), rs.getDouble(3),
                            rs.getLong(4), rs.getDouble(5), rs.getLong(6), rs.getString(7)));
                }
            }
            s.execute("select pg_stat_statements_reset()");
            if (file != null) {
                Files.writeString(file, out);
            }
        } catch (Exception e) {
            System.out.println("   (statement profile not written: " + e + ")");
        }
    }
}
