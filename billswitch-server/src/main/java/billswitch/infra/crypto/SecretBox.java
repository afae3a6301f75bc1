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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (partner secrets, webhook signing secrets, connector credentials) with AES-256-GCM under
 * the master key (billswitch.master-key, base64 of 32 bytes). In sandbox mode without a configured key, a development
 * key is generated once and kept in {data-dir}/master.key so a restart can still read what it wrote.
 * <p>
 * A sealed value is {@code v3:<key id>:<base64 of IV + ciphertext + tag>}. The key id (the first 4 bytes of the
 * key's SHA-256, in hex) names the master key it was sealed under: the current key or one of
 * billswitch.previous-master-keys, so the master key can be rotated while BillSwitch runs (new writes use the current
 * key, reads open with whichever key the value names; {@link MasterKeyRotation} re-seals the rest). The value is
 * bound, as AES-GCM associated data, to its place and to what decides the authority it gives: table + column + row
 * key + the row's bound columns (a partner credential's partner and dialect, a connector's type and base URL). A
 * sealed value copied into another row, or left in a row whose partner or base URL someone changed in the database,
 * does not open.
 * <p>
 * Two earlier forms bind less: {@code v2:<key id>:...} (bound to table + column + row key only) and base64 without a
 * prefix (bound to nothing, opened with any configured key). They open only while billswitch.sealed.accept-unbound
 * is true (the default, for upgraded databases); {@link MasterKeyRotation} re-seals them in the current form, after
 * which operators set it false: from then on such a value (a stale copy pasted back by a database writer) is refused.
 */
@Component
public class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "v3";
    /** The form bound to the row key only, opened while unbound values are accepted. */
    private static final String NARROW_VERSION = "v2";

    /**
     * Where a sealed value is kept and what it is bound to: its table and column, and {@code binding}: the row's key
     * (a partner id, a key id, a connector name) first, then the values of the row's bound columns, in their order.
     */
    public record Place(String table, String column, List<String> binding) {
        public Place {
            if (binding.isEmpty() || binding.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("a place is bound to its row key and non-null bound values");
            }
            binding = List.copyOf(binding);
        }

        public Place(String table, String column, String row) {
            this(table, column, List.of(row));
        }

        public String row() {
            return binding.getFirst();
        }

        /** The associated data of this form: each part length-prefixed, so no two places give the same bytes. */
        byte[] associatedData() {
            return associatedData(VERSION, binding);
        }

        /** The associated data of the v2 form: bound to the row key only. */
        byte[] narrowAssociatedData() {
            return associatedData(NARROW_VERSION, List.of(row()));
        }

        private byte[] associatedData(String version, List<String> values) {
            List<byte[]> parts = new ArrayList<>();
            parts.add(table.getBytes(StandardCharsets.UTF_8));
            parts.add(column.getBytes(StandardCharsets.UTF_8));
            values.forEach(v -> parts.add(v.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer out = ByteBuffer.allocate(version.length() + parts.stream().mapToInt(p -> 4 + p.length).sum());
            out.put(version.getBytes(StandardCharsets.US_ASCII));
            parts.forEach(p -> out.putInt(p.length).put(p));
            return out.array();
        }
    }

    /**
     * A column of sealed values, declared as a bean by the package that owns the table, so that
     * {@link MasterKeyRotation} finds every sealed value: rows are keyed by {@code keyColumn}, text; each value is
     * bound to its row key and to the row's {@code boundColumns} (read as text), which decide what the secret is for.
     */
    public record SealedColumn(String table, String keyColumn, String valueColumn, List<String> boundColumns) {
        public SealedColumn {
            boundColumns = List.copyOf(boundColumns);
        }

        public SealedColumn(String table, String keyColumn, String valueColumn) {
            this(table, keyColumn, valueColumn, List.of());
        }

        /** The place of the row with this key and these values of the bound columns, in their order. */
        public Place at(String row, String... bound) {
            if (bound.length != boundColumns.size()) {
                throw new IllegalArgumentException(table + "." + valueColumn + " is bound to " + boundColumns);
            }
            List<String> binding = new ArrayList<>();
            binding.add(row);
            binding.addAll(Arrays.asList(bound));
            return new Place(table, valueColumn, binding);
        }
    }

    private record MasterKey(String id, SecretKeySpec key) {
    }

    private final MasterKey current;
    /** Every key that may open a value, by id: the current key and the previous ones. */
    private final Map<String, MasterKey> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** billswitch.sealed.accept-unbound: whether values of the earlier forms (v2, no prefix) still open. */
    private final boolean acceptUnbound;

    public SecretBox(BillSwitchProperties props) {
        this(props, true);
    }

    @Autowired
    public SecretBox(BillSwitchProperties props,
                     @Value("${billswitch.sealed.accept-unbound:true}") boolean acceptUnbound) {
        this.acceptUnbound = acceptUnbound;
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
     * Opens a value sealed for this place (and its binding), with the key it names. While unbound values are accepted,
     * a value of an earlier form opens too: v2 bound to the row key alone, or no prefix (bound to nothing) with the
     * current or a previous key. Throws when no configured key opens it, it was sealed for another place or binding,
     * or it is of an earlier form and billswitch.sealed.accept-unbound is false.
     */
    public Secret<String> open(String sealed, Place place) {
        boolean fullyBound = sealed.startsWith(VERSION + ":");
        if (!fullyBound && !acceptUnbound) {
            throw new IllegalStateException("The secret in " + where(place) + " is not bound to its row's "
                    + "authority (a value of an earlier form) and billswitch.sealed.accept-unbound is false");
        }
        if (!fullyBound && !sealed.startsWith(NARROW_VERSION + ":")) {
            return openUnbound(sealed, place);
        }
        String version = fullyBound ? VERSION : NARROW_VERSION;
        int colon = sealed.indexOf(':', version.length() + 1);
        if (colon < 0) {
            throw new IllegalStateException("The secret in " + where(place) + " is not a sealed value");
        }
        String keyId = sealed.substring(version.length() + 1, colon);
        MasterKey key = byId.get(keyId);
        if (key == null) {
            throw new IllegalStateException("The secret in " + where(place) + " is sealed under master key id " + keyId
                    + ", which is neither billswitch.master-key (" + current.id() + ") nor one of billswitch.previous-master-keys "
                    + byId.keySet().stream().filter(id -> !id.equals(current.id())).toList());
        }
        try {
            return Secret.of(decrypt(key, Base64.getDecoder().decode(sealed.substring(colon + 1)),
                    fullyBound ? place.associatedData() : place.narrowAssociatedData()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The secret in " + where(place) + " does not open: it was sealed for another "
                    + "place or binding (a row whose partner, dialect, type or base URL was changed in the database), or "
                    + "altered", e);
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

    /** Whether a value is sealed in the current form, bound to its place, under the current key: a rotation leaves it as it is. */
    public boolean sealedUnderCurrentKey(String sealed) {
        return sealed.startsWith(VERSION + ":" + current.id() + ":");
    }

    private static String where(Place place) {
        return place.table() + "." + place.column() + " of row " + place.row();
    }
}
