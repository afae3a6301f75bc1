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
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (partner secrets, connector credentials) with AES-256-GCM under the master key (billswitch.master-key,
 * base64 of 32 bytes). In sandbox mode without a configured key, a development key is generated once
 * and kept in {data-dir}/master.key so a restart can still read what it wrote.
 */
@Component
public class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(BillSwitchProperties props) {
        this.key = new SecretKeySpec(masterKey(props), "AES");
    }

    private static byte[] masterKey(BillSwitchProperties props) {
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

    public String seal(Secret<String> secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public Secret<String> open(String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return Secret.of(new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A partner secret could not be decrypted: wrong master key?", e);
        }
    }
}
