package billswitch.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The benchmark's PostgreSQL Unix-domain socket, which the server under test (through junixsocket) and
 * pgbench both connect through, as the server does to its embedded PostgreSQL.
 */
final class PgSocket {
    /** junixsocket's socket factory inside the server jar, which takes the socket's path as its argument. */
    private static final String FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private PgSocket() {
    }

    /** A new owner-only directory with a short path (a socket's path has at most 107 bytes), removed at exit. */
    static Path directory() throws IOException {
        Path dir = Files.createTempDirectory("bsw-pg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        dir.toFile().deleteOnExit();
        return dir;
    }

    /** The socket file PostgreSQL makes in {@code dir} for {@code port}. */
    static Path file(Path dir, int port) {
        return dir.resolve(".s.PGSQL." + port);
    }

    /** {@code url} with the parameters that make pgjdbc (with junixsocket) connect through {@code socket}. */
    static String url(String url, Path socket) {
        return url + (url.contains("?") ? "&" : "?") + "socketFactory=" + URLEncoder.encode(FACTORY, StandardCharsets.UTF_8)
                + "&socketFactoryArg=" + URLEncoder.encode(socket.toString(), StandardCharsets.UTF_8);
    }
}
