package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.support.IntegrationTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class EmbeddedDatabaseTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    BillSwitchProperties props;

    @Test
    void theEmbeddedPostgresKeepsAGigabyteOfFreedWalSegmentsToWriteIntoAgain() {
        // PostgreSQL reports the setting in megabytes, its unit for it
        assertThat(jdbc.sql("select setting::bigint * 1024 * 1024 from pg_settings where name = 'min_wal_size'")
                .query(Long.class).single()).isEqualTo(1024L * 1024 * 1024);
    }

    private List<String> postmasterPid() throws IOException {
        return Files.readAllLines(props.dataDir().resolve("pg").resolve("postmaster.pid"));
    }

    @Test
    void everyConnectionNeedsTheGeneratedPasswordKeptOwnerOnly() throws Exception {
        Path passwordFile = props.dataDir().resolve("pg-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = Files.readString(passwordFile).trim();
        assertThat(password).hasSize(64);
        // no trust, no peer: every rule wants the password
        assertThat(jdbc.sql("select distinct auth_method from pg_hba_file_rules").query(String.class).list())
                .containsExactly("scram-sha-256");
        assertThat(jdbc.sql("show password_encryption").query(String.class).single()).isEqualTo("scram-sha-256");

        List<String> pid = postmasterPid();
        int port = Integer.parseInt(pid.get(3).trim());
        String url = PostgresSocket.url("jdbc:postgresql://localhost:" + port + "/postgres",
                PostgresSocket.file(Path.of(pid.get(4).trim()), port));
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class);
        Properties wrong = new Properties();
        wrong.setProperty("user", "postgres");
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        Properties right = new Properties();
        right.setProperty("user", "postgres");
        right.setProperty("password", password);
        DriverManager.getConnection(url, right).close();
    }

    @Test
    void itListensOnItsUnixSocketOnlyByDefault() throws Exception {
        assertThat(jdbc.sql("show listen_addresses").query(String.class).single()).isEmpty();
        List<String> pid = postmasterPid();
        assertThat(pid.get(5).trim()).as("postmaster.pid's listen address").isEmpty();
        int port = Integer.parseInt(pid.get(3).trim());
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 2000))
                    .isInstanceOf(IOException.class);
        }
        Path socketDir = Path.of(pid.get(4).trim());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir))).isEqualTo("rwx------");
    }

    @Test
    void everyConnectionCommitsSynchronouslyAndCannotRunOrIdleForEver() {
        assertThat(jdbc.sql("show statement_timeout").query(String.class).single()).isEqualTo("5min");
        assertThat(jdbc.sql("show idle_in_transaction_session_timeout").query(String.class).single()).isEqualTo("2min");
    }
}
