package billswitch.infra.db;

import billswitch.infra.config.BillSwitchProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the zonky binaries, its data kept under {data-dir}/pg so a
 * restart keeps everything. A postmaster orphaned by a killed JVM is stopped before we start ours.
 *
 * <p>Nobody else gets in: every connection authenticates with scram-sha-256 (pg_hba.conf has no trust line)
 * as the superuser postgres, whose password is generated once into {data-dir}/pg-password (mode 0600), and the
 * server listens on its Unix socket only, in an owner-only directory ({@code listen_addresses = ''}), unless
 * {@code billswitch.db.embedded-listen-addresses} names TCP addresses (or junixsocket cannot load here, where it
 * listens on localhost). A data directory made before this was so (trust) gets the password set and its
 * pg_hba.conf rewritten at its next start.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** The embedded PostgreSQL's min_wal_size (its max_wal_size is PostgreSQL's default, 1 GB as well). */
    private static final String MIN_WAL_SIZE = "1GB";
    static final String SUPERUSER = "postgres";
    private static final String LOCK_FILE = "epg-lock";
    private static final String HBA = """
            # Written by BillSwitch at every start: every connection proves the password in ../pg-password.
            local   all             all                     scram-sha-256
            host    all             all     127.0.0.1/32    scram-sha-256
            host    all             all     ::1/128         scram-sha-256
            """;

    private final Running server;
    private final String url;
    private final String password;

    /** The server we started: its directory, the lock we hold on it, how to stop it. */
    private record Running(PostgresBinaries binaries, Path dir, FileChannel lockChannel, FileLock lock, boolean clean) {
    }

    private EmbeddedDatabase(Running server, String url, String password) {
        this.server = server;
        this.url = url;
        this.password = password;
    }

    static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null, null, null);
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
                return new EmbeddedDatabase(null, url(port, socket), EmbeddedPassword.read(props.dataDir()));
            }
            stopOrphanedPostmaster(dir);
            return launch(props, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    private static EmbeddedDatabase launch(BillSwitchProperties props, Path dir) throws IOException {
        BillSwitchProperties.Db db = props.db();
        PostgresBinaries binaries = PostgresBinaries.unpacked();
        EmbeddedPassword password = EmbeddedPassword.loadOrCreate(props.dataDir());
        if (db.embeddedClean()) {
            deleteTree(dir);
            Files.createDirectories(dir);
        }
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
        if (fresh) {
            deleteTree(dir);   // initdb wants an empty directory
            binaries.run("initdb", List.of("-A", "scram-sha-256", "-U", SUPERUSER,
                    "--pwfile=" + EmbeddedPassword.file(props.dataDir()), "-D", dir.toString(), "-E", "UTF-8"), null, 300);
        } else if (password.createdNow() || Files.readString(dir.resolve("pg_hba.conf")).lines()
                .anyMatch(l -> !l.isBlank() && !l.strip().startsWith("#") && !l.contains("scram-sha-256"))) {
            // made before passwords (trust), or its password file was lost: set the password, single-user, offline
            binaries.run("postgres", List.of("--single", "-D", dir.toString(), SUPERUSER),
                    "ALTER ROLE " + SUPERUSER + " PASSWORD '" + password.value() + "';\n", 300);
            log.warn("The embedded PostgreSQL in {} now requires the password in {}", dir,
                    EmbeddedPassword.file(props.dataDir()));
        }
        Files.writeString(dir.resolve("pg_hba.conf"), HBA);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("Could not lock " + dir.resolve(LOCK_FILE));
        }
        Optional<Path> socketDir = PostgresSocket.directory(props.dataDir().resolve("pg-socket"));
        String listen = db.embeddedListenAddresses() == null ? "" : db.embeddedListenAddresses().strip();
        if (socketDir.isEmpty() && listen.isEmpty()) {
            log.warn("No Unix socket here (junixsocket does not load): the embedded PostgreSQL listens on localhost");
            listen = "localhost";
        }
        int port = freePort();
        List<String> settings = new ArrayList<>(List.of("-p", Integer.toString(port),
                "-c", "listen_addresses='" + listen + "'",
                "-c", "unix_socket_directories='" + socketDir.map(Path::toString).orElse("") + "'",
                "-c", "timezone=UTC", "-c", "max_connections=200",
                // A checkpoint keeps at least this much of the WAL segments it frees, to be written into again.
                // A segment it has to create instead is zero-filled inside a commit, 80-100 ms that every
                // commit waits on, every 2.5-3 s under a payment benchmark's load on a fresh cluster.
                // After a quiet spell PostgreSQL's own estimate of what to keep falls to the quiet spell's
                // WAL, and the next burst pays for it.
                "-c", "min_wal_size=" + MIN_WAL_SIZE));
        if (db.embeddedDurable()) {
            settings.addAll(List.of("-c", "synchronous_commit=on", "-c", "fsync=on"));
        } else {
            settings.addAll(List.of("-c", "synchronous_commit=off", "-c", "fsync=off", "-c", "full_page_writes=off"));
        }
        Running running = new Running(binaries, dir, lockChannel, lock, db.embeddedClean());
        try {
            binaries.run("pg_ctl", List.of("-D", dir.toString(), "-l", props.dataDir().resolve("pg.log").toAbsolutePath().toString(),
                    "-o", String.join(" ", settings), "-w", "-t", "120", "start"), null, 180);
        } catch (IOException e) {
            lock.release();
            lockChannel.close();
            throw new IOException(e.getMessage() + "\nSee " + props.dataDir().resolve("pg.log").toAbsolutePath(), e);
        }
        Path socket = socketDir.map(d -> PostgresSocket.file(d, port)).orElse(null);
        log.info("Embedded PostgreSQL started on {} with data in {}; BillSwitch connects {} with the password in {}",
                listen.isEmpty() ? "no TCP address" : listen + " port " + port, dir,
                socket == null ? "over TCP" : "through " + socket, EmbeddedPassword.file(props.dataDir()));
        EmbeddedDatabase database = new EmbeddedDatabase(running, url(port, socket), password.value());
        Runtime.getRuntime().addShutdownHook(new Thread(database::stopQuietly, "embedded-postgres-stop"));
        return database;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
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

    /** The superuser's password ({data-dir}/pg-password). */
    String password() {
        return password;
    }

    private static String url(int port, Path socket) {
        String tcp = "jdbc:postgresql://localhost:" + port + "/postgres";
        return socket == null ? tcp : PostgresSocket.url(tcp, socket);
    }

    private synchronized void stopQuietly() {
        try {
            close();
        } catch (IOException e) {
            log.warn("Stopping the embedded PostgreSQL failed", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (server == null || !server.lockChannel().isOpen()) {
            return;
        }
        try {
            server.binaries().run("pg_ctl", List.of("-D", server.dir().toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                    null, 90);
        } finally {
            server.lock().release();
            server.lockChannel().close();
        }
        if (server.clean()) {
            deleteTree(server.dir());
        }
    }
}
