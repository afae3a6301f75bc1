package billswitch.infra.crypto;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (partner secrets, webhook signing secrets, connector credentials) with AES-256-GCM under
 * the master key (billswitch.master-key, base64 of 32 bytes). In sandbox mode without a configured key, a development
 * key is generated once and kept in {data-dir}/master.key so a restart can still read what it wrote.
 * <p>
 * A sealed value is {@code v2:<key id>:<base64 of IV + ciphertext + tag>}. The key id (the first 4 bytes of the
 * key's SHA-256, in hex) names the master key it was sealed under: the current key or one of
 * billswitch.previous-master-keys, so the master key can be rotated while BillSwitch runs (new writes use the current
 * key, reads open with whichever key the value names; {@link MasterKeyRotation} re-seals the rest). The value is
 * bound to its place, table + column + row, as AES-GCM associated data: a sealed value copied into another row (or
 * column) does not open. Values written before (base64 without a prefix, no associated data) still open, under the
 * current or a previous key, until the next rotation re-seals them in this form.
 */
@Component
public class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "v2";

    /** Where a sealed value is kept: its table and column, and its row's key (a partner id, a key id, a connector name). */
    public record Place(String table, String column, String row) {
        /** The associated data: each part length-prefixed, so no two places give the same bytes. */
        byte[] associatedData() {
            ByteBuffer out = ByteBuffer.allocate(64 + 3 * 4 + (table.length() + column.length() + row.length()) * 4);
            out.put(VERSION.getBytes(StandardCharsets.US_ASCII));
            for (String part : List.of(table, column, row)) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                out.putInt(bytes.length).put(bytes);
            }
            return Arrays.copyOf(out.array(), out.position());
        }
    }

    /**
     * A column of sealed values, declared as a bean by the package that owns the table, so that
     * {@link MasterKeyRotation} finds every sealed value: rows are keyed by {@code keyColumn}, text.
     */
    public record SealedColumn(String table, String keyColumn, String valueColumn) {
        public Place at(String row) {
            return new Place(table, valueColumn, row);
        }
    }

    private record MasterKey(String id, SecretKeySpec key) {
    }

    private final MasterKey current;
    /** Every key that may open a value, by id: the current key and the previous ones. */
    private final Map<String, MasterKey> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SecretBox(BillSwitchProperties props) {
        this.current = masterKey(currentKey(props));
        byId.put(current.id(), current);
        for (int i = 0; i < props.previousMasterKeys().size(); i++) {
            MasterKey previous = masterKey(decodeKey(props.previousMasterKeys().get(i),
                    "billswitch.previous-master-keys[" + i + "] (BILLSWITCH_PREVIOUS_MASTER_KEYS)"));
            byId.putIfAbsent(previous.id(), previous);
        }
    }

    private static MasterKey masterKey(byte[] bytes) {
        return new MasterKey(keyId(bytes), new SecretKeySpec(bytes, "AES"));
    }

    /** A key's id: the first 4 bytes of its SHA-256, in hex. */
    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the current master key, which every value is sealed under once rotated. */
    public String currentKeyId() {
        return current.id();
    }

    private static byte[] currentKey(BillSwitchProperties props) {
        String configured = props.masterKey();
        if (configured != null && !configured.isBlank()) {
            return decodeKey(configured, "billswitch.master-key (BILLSWITCH_MASTER_KEY)");
        }
        if (!props.sandbox().enabled()) {
            throw new IllegalStateException("billswitch.master-key (env BILLSWITCH_MASTER_KEY) must be set outside "
                    + "sandbox mode: base64 of 32 random bytes, e.g. `openssl rand -base64 32`.");
        }
        Path file = props.dataDir().resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                log.warn("Sandbox mode: generated a development master key in {}", file.toAbsolutePath());
            }
            return decodeKey(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the development master key " + file, e);
        }
    }

    private static byte[] decodeKey(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(where + " must decode to 32 bytes, not " + bytes.length);
        }
        return bytes;
    }

    /** Seals a secret for its place under the current master key. */
    public String seal(Secret<String> secret, Place place) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(place.associatedData());
            byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            return VERSION + ":" + current.id() + ":"
                    + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens a value sealed for this place, with the key it names; a value of the earlier form (no key id, bound to
     * no place) with the current or a previous key. Throws when no configured key opens it, or it was sealed for
     * another place.
     */
    public Secret<String> open(String sealed, Place place) {
        if (!sealed.startsWith(VERSION + ":")) {
            return openUnbound(sealed, place);
        }
        int colon = sealed.indexOf(':', VERSION.length() + 1);
        if (colon < 0) {
            throw new IllegalStateException("The secret in " + where(place) + " is not a sealed value");
        }
        String keyId = sealed.substring(VERSION.length() + 1, colon);
        MasterKey key = byId.get(keyId);
        if (key == null) {
            throw new IllegalStateException("The secret in " + where(place) + " is sealed under master key id " + keyId
                    + ", which is neither billswitch.master-key (" + current.id() + ") nor one of billswitch.previous-master-keys "
                    + byId.keySet().stream().filter(id -> !id.equals(current.id())).toList());
        }
        try {
            return Secret.of(decrypt(key, Base64.getDecoder().decode(sealed.substring(colon + 1)), place.associatedData()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The secret in " + where(place) + " does not open: it was sealed for another "
                    + "place, or altered", e);
        }
    }

    private Secret<String> openUnbound(String sealed, Place place) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The secret in " + where(place) + " is not a sealed value");
        }
        for (MasterKey key : byId.values()) {
            try {
                return Secret.of(decrypt(key, all, null));
            } catch (GeneralSecurityException e) {
                // not this key: try the next
            }
        }
        throw new IllegalStateException("The secret in " + where(place) + " could not be decrypted with the master key "
                + "or any previous master key: wrong billswitch.master-key?");
    }

    private static String decrypt(MasterKey key, byte[] all, byte[] associatedData) throws GeneralSecurityException {
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
        if (associatedData != null) {
            cipher.updateAAD(associatedData);
        }
        return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    /** Whether a value is sealed, bound to its place, under the current key: a rotation leaves it as it is. */
    public boolean sealedUnderCurrentKey(String sealed) {
        return sealed.startsWith(VERSION + ":" + current.id() + ":");
    }

    private static String where(Place place) {
        return place.table() + "." + place.column() + " of row " + place.row();
    }
}
