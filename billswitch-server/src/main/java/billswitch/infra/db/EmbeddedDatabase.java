package billswitch.infra.db;

import billswitch.infra.config.BillSwitchProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the zonky binaries, its data kept under {data-dir}/pg so a
 * restart keeps everything. A postmaster orphaned by a killed JVM is stopped before we start ours.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** The embedded PostgreSQL's min_wal_size (its max_wal_size is PostgreSQL's default, 1 GB as well). */
    private static final String MIN_WAL_SIZE = "1GB";

    private final EmbeddedPostgres postgres;
    private final String url;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String url) {
        this.postgres = postgres;
        this.url = url;
    }

    static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null, null);
    }

    /**
     * Starts the embedded server on {data-dir}/pg. When a running BillSwitch already owns that directory,
     * {@code attachToRunning} (the command-line subcommands) connects to its server instead; a second
     * server process is refused.
     */
    static EmbeddedDatabase start(BillSwitchProperties props, boolean attachToRunning) {
        Path dir = props.dataDir().resolve("pg").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            if (ownedByRunningProcess(dir)) {
                if (!attachToRunning) {
                    throw new IllegalStateException("The embedded PostgreSQL data in " + dir + " belongs to another "
                            + "running BillSwitch. Stop it, choose another BILLSWITCH_DATA_DIR, or share one external "
                            + "PostgreSQL through BILLSWITCH_DB_URL.");
                }
                // postmaster.pid: line 4 the port, line 5 the socket directory (empty when it has none)
                List<String> pid = Files.readAllLines(dir.resolve("postmaster.pid"));
                int port = Integer.parseInt(pid.get(3).trim());
                Path socket = pid.size() > 4 && !pid.get(4).isBlank() && PostgresSocket.supported()
                        ? PostgresSocket.file(Path.of(pid.get(4).trim()), port) : null;
                log.info("Attaching to the embedded PostgreSQL of the running BillSwitch on port {}{}", port,
                        socket == null ? "" : " through " + socket);
                return new EmbeddedDatabase(null, url("jdbc:postgresql://localhost:" + port + "/postgres", socket));
            }
            stopOrphanedPostmaster(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(props.db().embeddedClean())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // A checkpoint keeps at least this much of the WAL segments it frees, to be written into again.
                    // A segment it has to create instead is zero-filled inside a commit, 80-100 ms that every
                    // commit waits on, every 2.5-3 s under a payment benchmark's load on a fresh cluster.
                    // After a quiet spell PostgreSQL's own estimate of what to keep falls to the quiet spell's
                    // WAL, and the next burst pays for it.
                    .setServerConfig("min_wal_size", MIN_WAL_SIZE);
            Optional<Path> socketDir = PostgresSocket.directory(props.dataDir().resolve("pg-socket"));
            socketDir.ifPresent(d -> builder.setServerConfig("unix_socket_directories", d.toString()));
            if (props.db().embeddedDurable()) {
                builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on");
            } else {
                builder.setServerConfig("synchronous_commit", "off").setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres pg = builder.start();
            Path socket = socketDir.map(d -> PostgresSocket.file(d, pg.getPort())).orElse(null);
            log.info("Embedded PostgreSQL started on port {} with data in {}; BillSwitch connects {}", pg.getPort(),
                    dir, socket == null ? "over TCP (no Unix socket here)" : "through " + socket);
            return new EmbeddedDatabase(pg, url(pg.getJdbcUrl("postgres", "postgres"), socket));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    /** True when a live process holds the lock zonky takes on the data directory. */
    private static boolean ownedByRunningProcess(Path dir) throws IOException {
        Path lockFile = dir.resolve("epg-lock");
        if (!Files.exists(lockFile) || !Files.exists(dir.resolve("postmaster.pid"))) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** A JVM killed with SIGKILL leaves its postmaster running on our data directory: stop it. */
    private static void stopOrphanedPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .ifPresent(p -> {
                    log.warn("Stopping orphaned PostgreSQL (pid {}) left on {}", pid, dir);
                    p.destroy();
                    try {
                        p.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("Orphaned PostgreSQL pid " + pid + " did not stop", e);
                    }
                });
    }

    /** The URL BillSwitch connects with: through the server's Unix socket where it has one. */
    String jdbcUrl() {
        return url;
    }

    private static String url(String tcp, Path socket) {
        return socket == null ? tcp : PostgresSocket.url(tcp, socket);
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
