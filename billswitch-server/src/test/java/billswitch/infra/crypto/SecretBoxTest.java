package billswitch.infra.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Sealed values name their master key and are bound to their place; earlier values and earlier keys still open. */
class SecretBoxTest {
    private static final String OLD = key();
    private static final String NEW = key();
    private static final SecretBox.Place ROW_A = new SecretBox.Place("partner_credentials", "secret_enc", "key-a");
    private static final SecretBox.Place ROW_B = new SecretBox.Place("partner_credentials", "secret_enc", "key-b");

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static SecretBox box(String current, String... previous) {
        return new SecretBox(new BillSwitchProperties(null, null, current, List.of(previous), null, null, null, null, null,
                null, null, null, null));
    }

    @Test
    void aValueOpensOnlyInThePlaceItWasSealedFor() {
        SecretBox box = box(NEW);
        String sealed = box.seal(Secret.of("s3cret"), ROW_A);
        assertThat(sealed).startsWith("v2:" + box.currentKeyId() + ":");
        assertThat(box.open(sealed, ROW_A).reveal()).isEqualTo("s3cret");
        assertThatThrownBy(() -> box.open(sealed, ROW_B)).hasMessageContaining("sealed for another place");
        assertThatThrownBy(() -> box.open(sealed, new SecretBox.Place("partners", "webhook_secret_enc", "key-a")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPreviousKeyStillOpensWhatItSealedAndNewValuesUseTheCurrentKey() {
        String underOld = box(OLD).seal(Secret.of("old"), ROW_A);
        SecretBox rotating = box(NEW, OLD);
        assertThat(rotating.open(underOld, ROW_A).reveal()).isEqualTo("old");
        assertThat(rotating.sealedUnderCurrentKey(underOld)).isFalse();
        String resealed = rotating.seal(Secret.of("old"), ROW_A);
        assertThat(rotating.sealedUnderCurrentKey(resealed)).isTrue();
        assertThat(box(NEW).open(resealed, ROW_A).reveal()).isEqualTo("old");
        assertThatThrownBy(() -> box(NEW).open(underOld, ROW_A)).hasMessageContaining("neither billswitch.master-key");
    }

    @Test
    void aValueOfTheEarlierFormOpensWithTheCurrentOrAPreviousKey() throws Exception {
        String legacy = legacySeal(OLD, "legacy");
        assertThat(box(OLD).open(legacy, ROW_A).reveal()).isEqualTo("legacy");
        assertThat(box(NEW, OLD).open(legacy, ROW_B).reveal()).isEqualTo("legacy");
        assertThat(box(NEW, OLD).sealedUnderCurrentKey(legacy)).isFalse();
        assertThatThrownBy(() -> box(NEW).open(legacy, ROW_A)).hasMessageContaining("could not be decrypted");
    }

    /** What SecretBox wrote before key ids and places: base64 of IV + ciphertext, no associated data. */
    static String legacySeal(String base64Key, String text) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }
}
