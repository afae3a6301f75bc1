package billswitch.infra.db;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The embedded PostgreSQL superuser's password: 32 random bytes (hex), generated once into
 * {data-dir}/pg-password, owner read/write only, and read from there at every start (and by the
 * command-line subcommands that attach to a running server).
 */
record EmbeddedPassword(String value, boolean createdNow) {
    static final String FILE = "pg-password";

    static Path file(Path dataDir) {
        return dataDir.resolve(FILE).toAbsolutePath();
    }

    /** The password in the data directory, created (mode 0600) if there is none yet. */
    static EmbeddedPassword loadOrCreate(Path dataDir) throws IOException {
        Path file = file(dataDir);
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String fresh = HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, fresh + "\n", StandardOpenOption.TRUNCATE_EXISTING);
                return new EmbeddedPassword(fresh, true);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: use theirs
            }
        }
        return new EmbeddedPassword(read(dataDir), false);
    }

    static String read(Path dataDir) throws IOException {
        String value = Files.readString(file(dataDir)).trim();
        if (value.isEmpty()) {
            throw new IOException(file(dataDir) + " is empty: delete it and restart, a new password is generated");
        }
        return value;
    }
}
