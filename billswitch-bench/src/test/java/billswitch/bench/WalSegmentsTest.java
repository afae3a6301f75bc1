package billswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's WAL: written into recycled segment files, never into new ones, once prepared. */
class WalSegmentsTest {
    private static EmbeddedPostgres pg;
    private static String jdbc;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("billswitch-wal");
        pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("max_wal_size", WalSegments.WAL_SIZE).setServerConfig("min_wal_size", WalSegments.WAL_SIZE)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
        jdbc = pg.getJdbcUrl("postgres", "postgres");
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void preparedSegmentsAreReusedAndACheckpointRecyclesWhatWasUsed() throws Exception {
        WalSegments wal = new WalSegments(jdbc);
        int fresh = wal.ready();
        assertThat(wal.prepare(4)).isGreaterThanOrEqualTo(fresh + 4);
        int ready = wal.ready();
        long files = walFiles();

        writeThrough(3);
        // Three segments further on, in files that were there: none created.
        assertThat(wal.ready()).isEqualTo(ready - 3);
        assertThat(walFiles()).isEqualTo(files);

        // The checkpoint renames the three used ones into the next ones.
        assertThat(wal.checkpoint()).isEqualTo(ready);
        assertThat(walFiles()).isEqualTo(files);
    }

    /** Moves the log on by {@code segments} segment files, as load would. */
    private static void writeThrough(int segments) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create table if not exists filler (v text)");
            for (int i = 0; i < segments; i++) {
                s.execute("insert into filler values ('" + i + "')");
                s.execute("select pg_switch_wal()");
            }
        }
    }

    private static long walFiles() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_ls_waldir() where name ~ '^[0-9A-F]{24}$'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
