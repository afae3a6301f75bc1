package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class EmbeddedDatabaseTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void theEmbeddedPostgresKeepsAGigabyteOfFreedWalSegmentsToWriteIntoAgain() {
        // PostgreSQL reports the setting in megabytes, its unit for it
        assertThat(jdbc.sql("select setting::bigint * 1024 * 1024 from pg_settings where name = 'min_wal_size'")
                .query(Long.class).single()).isEqualTo(1024L * 1024 * 1024);
    }
}
