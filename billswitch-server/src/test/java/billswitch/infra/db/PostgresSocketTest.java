package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class PostgresSocketTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void theServerReachesItsEmbeddedPostgresThroughAnOwnerOnlyUnixSocket() throws Exception {
        // PostgreSQL reports no client address for a connection over a Unix socket, and -1 as its port
        assertThat(jdbc.sql("select inet_client_addr() is null and client_port = -1 from pg_stat_activity"
                + " where pid = pg_backend_pid()").query(Boolean.class).single()).isTrue();
        Path dir = Path.of(jdbc.sql("show unix_socket_directories").query(String.class).single());
        int port = jdbc.sql("select current_setting('port')::int").query(Integer.class).single();
        assertThat(PostgresSocket.file(dir, port)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aSocketPathTooLongOrWithSpacesGoesToAPrivateTemporaryDirectory() throws Exception {
        Path parent = Files.createTempDirectory("socket test");
        Path spaced = PostgresSocket.directory(parent.resolve("pg-socket")).orElseThrow();
        assertThat(spaced.toString()).doesNotContain(" ").contains("billswitch-pg");
        Path deep = PostgresSocket.directory(Path.of("target", "x".repeat(120), "pg-socket")).orElseThrow();
        assertThat(deep.toString()).contains("billswitch-pg");
        assertThat(PostgresSocket.file(deep, 65535).toString().length()).isLessThanOrEqualTo(107);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(deep))).isEqualTo("rwx------");
        assertThat(Path.of("target", "x".repeat(120))).doesNotExist();
        Path plain = Files.createTempDirectory("sockettest").resolve("pg-socket");
        assertThat(PostgresSocket.directory(plain)).contains(plain.toAbsolutePath());
    }

    @Test
    void theSocketGoesIntoTheUrlsQuery() {
        Path socket = Path.of("/run/bs/.s.PGSQL.5432");
        String factory = "socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory%24FactoryArg";
        assertThat(PostgresSocket.url("jdbc:postgresql://localhost:5432/postgres", socket))
                .isEqualTo("jdbc:postgresql://localhost:5432/postgres?" + factory
                        + "&socketFactoryArg=%2Frun%2Fbs%2F.s.PGSQL.5432");
        assertThat(PostgresSocket.url("jdbc:postgresql://localhost:5432/postgres?user=postgres", socket))
                .startsWith("jdbc:postgresql://localhost:5432/postgres?user=postgres&" + factory);
    }
}
