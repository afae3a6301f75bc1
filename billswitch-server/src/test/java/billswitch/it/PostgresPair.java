package billswitch.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL primary and a streaming, synchronous standby, from Debian's PostgreSQL server binaries
 * (initdb, pg_ctl, pg_basebackup; -Dbillswitch.pg.bin to point elsewhere). initdb refuses to run as root, so as
 * root (CI) every binary runs as the {@code postgres} OS user through runuser, in a directory it owns. Nothing is
 * installed here: missing binaries fail the test with what to install (.ci/run installs postgresql-15).
 */
final class PostgresPair implements AutoCloseable {
    static final Path BIN = Path.of(System.getProperty("billswitch.pg.bin", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final Path primary;
    private final Path standby;
    final int primaryPort;
    final int standbyPort;
    private final boolean root;

    private PostgresPair(Path dir) throws IOException {
        this.dir = dir;
        this.primary = dir.resolve("primary");
        this.standby = dir.resolve("standby");
        this.primaryPort = ServerProcess.freePort();
        int second = ServerProcess.freePort();
        this.standbyPort = second == primaryPort ? ServerProcess.freePort() : second;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** Starts the primary, copies it into a standby (pg_basebackup) and starts that; returns once it streams synchronously. */
    static PostgresPair start() throws Exception {
        for (String tool : List.of("initdb", "pg_ctl", "pg_basebackup", "postgres")) {
            if (!Files.isExecutable(BIN.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL server binaries not found: " + BIN.resolve(tool) + " is missing. "
                        + "Install Debian's postgresql-15 (apt-get install postgresql-15; .ci/run does) or set -Dbillswitch.pg.bin.");
            }
        }
        PostgresPair pair = new PostgresPair(Files.createTempDirectory("billswitch-failover"));
        pair.startBoth();
        return pair;
    }

    private void startBoth() throws Exception {
        if (root) {
            run(List.of("chown", "postgres:", dir.toString()), false);
        }
        run(List.of(BIN.resolve("initdb").toString(), "-D", primary.toString(), "-U", "postgres", "--auth=trust", "-N"), true);
        // Synchronous replication: a COMMIT returns once the standby has flushed it, so a primary killed after
        // acknowledging a payment cannot take it down with it.
        append(primary.resolve("postgresql.conf"), """
                port = %d
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                max_connections = 100
                wal_level = replica
                max_wal_senders = 5
                synchronous_commit = on
                synchronous_standby_names = '*'
                """.formatted(primaryPort, dir));
        pgCtl(primary, "start");
        run(List.of(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                "-U", "postgres", "-D", standby.toString(), "-R", "-X", "stream", "--checkpoint=fast"), true);
        // The standby, once promoted, has no standby of its own: it must not wait for one on every commit.
        append(standby.resolve("postgresql.conf"), """
                port = %d
                synchronous_standby_names = ''
                """.formatted(standbyPort));
        pgCtl(standby, "start");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!"sync".equals(syncState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the standby never became synchronous; see " + dir);
            }
            Thread.sleep(200);
        }
    }

    private String syncState() {
        try {
            return ProcessTestSupport.queryText(primaryJdbc(), "select coalesce(max(sync_state), 'none') from pg_stat_replication");
        } catch (SQLException e) {
            return "none";
        }
    }

    String primaryJdbc() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    String standbyJdbc() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres";
    }

    /** Both servers, the primary first; the JDBC driver connects to whichever is the primary now. */
    String multiHostJdbc() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort
                + "/postgres?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=5";
    }

    /** SIGKILL to the primary's postmaster and every backend: the machine died. */
    void killPrimary() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(primary.resolve("postmaster.pid")).getFirst().trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.addFirst(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
    }

    /** pg_ctl promote: the standby becomes the primary. */
    void promoteStandby() throws Exception {
        pgCtl(standby, "promote");
    }

    private void pgCtl(Path data, String action) throws Exception {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data + ".log", "-w", "-t", "120", action), true);
    }

    /** Appends settings to a configuration file (root may write the postgres user's files; they stay its own). */
    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }

    /** Runs a command (as the postgres OS user when we are root and {@code asPostgres}), failing on a non-zero exit. */
    private void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (root && asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = dir.resolve("commands.log");
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + "; see " + log);
        }
    }

    Path dir() {
        return dir;
    }

    /** Stops whichever servers still run (immediate mode: the test is over). */
    @Override
    public void close() {
        for (Path data : List.of(primary, standby)) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
                } catch (Exception e) {
                    // already gone
                }
            }
        }
    }
}
