package billswitch.db;

import billswitch.shared.BillSwitchProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the zonky binaries, its data kept under {data-dir}/pg so a
 * restart keeps everything. A postmaster orphaned by a killed JVM is stopped before we start ours.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null);
    }

    static EmbeddedDatabase start(BillSwitchProperties props) {
        Path dir = props.dataDir().resolve("pg").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            stopOrphanedPostmaster(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(props.db().embeddedClean())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200");
            if (props.db().embeddedDurable()) {
                builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on");
            } else {
                builder.setServerConfig("synchronous_commit", "off").setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres pg = builder.start();
            log.info("Embedded PostgreSQL started on port {} with data in {}", pg.getPort(), dir);
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
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

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
