package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.BillSwitchApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real server on an external PostgreSQL whose own defaults are unsafe (zonky's: fsync off, synchronous_commit
 * off): it refuses to start on fsync off unless told it is a test, and every connection it opens commits
 * synchronously and carries the statement and idle-in-transaction timeouts whatever the server's defaults.
 */
class ExternalDatabaseTest {

    private static ConfigurableApplicationContext start(EmbeddedPostgres pg, Path data, String... more) {
        String[] base = {"--server.port=0", "--spring.profiles.active=sandbox,test",
                "--billswitch.db.url=" + pg.getJdbcUrl("postgres", "postgres"), "--billswitch.db.user=postgres",
                "--billswitch.data-dir=" + data, "--billswitch.sandbox.allow-external-database=true",
                "--billswitch.db.statement-timeout=7m", "--billswitch.db.idle-in-transaction-timeout=90s"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return new SpringApplication(BillSwitchApplication.class).run(all);
    }

    @Test
    void fsyncOffIsRefusedUnlessAllowedAndEveryConnectionCommitsSynchronouslyWithTimeouts() throws Exception {
        Path data = Files.createTempDirectory("billswitch-external");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data.resolve("external-pg"))
                .setCleanDataDirectory(true).setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                .setPGStartupWait(Duration.ofSeconds(60)).start()) {
            assertThatThrownBy(() -> start(pg, data, "--billswitch.db.allow-fsync-off=false").close())
                    .hasStackTraceContaining("fsync = off").hasStackTraceContaining("billswitch.db.allow-fsync-off=true");

            try (ConfigurableApplicationContext context = start(pg, data, "--billswitch.db.allow-fsync-off=true")) {
                JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
                assertThat(jdbc.queryForObject("show statement_timeout", String.class)).isEqualTo("7min");
                assertThat(jdbc.queryForObject("show idle_in_transaction_session_timeout", String.class)).isEqualTo("90s");
                // the server's own default is still off: the setting is the connection's
                try (var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement();
                     var rs = s.executeQuery("show synchronous_commit")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("off");
                }
            }
        }
    }
}
