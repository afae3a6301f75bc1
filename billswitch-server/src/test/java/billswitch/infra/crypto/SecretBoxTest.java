package billswitch.infra.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.Secret;
import billswitch.support.EarlierSeals;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sealed values name their master key and are bound to their place and its bound columns; earlier keys still open,
 * and so do earlier forms, only while billswitch.sealed.accept-unbound is true.
 */
class SecretBoxTest {
    private static final String OLD = key();
    private static final String NEW = key();
    private static final SecretBox.SealedColumn CREDENTIALS =
            new SecretBox.SealedColumn("partner_credentials", "key_id", "secret_enc", List.of("partner_id", "dialect"));
    private static final SecretBox.Place ROW_A = CREDENTIALS.at("key-a", "P1", "NATIVE");
    private static final SecretBox.Place ROW_B = CREDENTIALS.at("key-b", "P1", "NATIVE");

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static BillSwitchProperties props(String current, String... previous) {
        return new BillSwitchProperties(null, null, current, List.of(previous), null, null, null, null, null,
                null, null, null, null);
    }

    private static SecretBox box(String current, String... previous) {
        return new SecretBox(props(current, previous));
    }

    private static SecretBox strictBox(String current, String... previous) {
        return new SecretBox(props(current, previous), false);
    }

    @Test
    void aValueOpensOnlyInThePlaceAndBindingItWasSealedFor() {
        SecretBox box = box(NEW);
        String sealed = box.seal(Secret.of("s3cret"), ROW_A);
        assertThat(sealed).startsWith("v3:" + box.currentKeyId() + ":");
        assertThat(box.open(sealed, ROW_A).reveal()).isEqualTo("s3cret");
        assertThatThrownBy(() -> box.open(sealed, ROW_B)).hasMessageContaining("sealed for another place");
        assertThatThrownBy(() -> box.open(sealed, CREDENTIALS.at("key-a", "VICTIM", "NATIVE")))
                .as("the row moved to another partner").hasMessageContaining("sealed for another place");
        assertThatThrownBy(() -> box.open(sealed, CREDENTIALS.at("key-a", "P1", "EKO")))
                .as("the row moved to another dialect").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> box.open(sealed, new SecretBox.Place("partners", "webhook_secret_enc", "key-a")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CREDENTIALS.at("key-a", "P1")).isInstanceOf(IllegalArgumentException.class);
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
    void aValueOfTheUnboundFormOpensWithTheCurrentOrAPreviousKeyOnlyWhileAccepted() throws Exception {
        String legacy = EarlierSeals.unbound(OLD, "legacy");
        assertThat(box(OLD).open(legacy, ROW_A).reveal()).isEqualTo("legacy");
        assertThat(box(NEW, OLD).open(legacy, ROW_B).reveal()).isEqualTo("legacy");
        assertThat(box(NEW, OLD).sealedUnderCurrentKey(legacy)).isFalse();
        assertThatThrownBy(() -> box(NEW).open(legacy, ROW_A)).hasMessageContaining("could not be decrypted");
        assertThatThrownBy(() -> strictBox(OLD).open(legacy, ROW_A)).hasMessageContaining("accept-unbound is false");
    }

    @Test
    void aValueBoundToItsRowKeyOnlyOpensWhateverTheRowSaysOnlyWhileAccepted() throws Exception {
        String narrow = EarlierSeals.rowKeyOnly(OLD, "narrow", "partner_credentials", "secret_enc", "key-a");
        assertThat(box(OLD).open(narrow, ROW_A).reveal()).isEqualTo("narrow");
        assertThat(box(NEW, OLD).open(narrow, CREDENTIALS.at("key-a", "VICTIM", "NATIVE")).reveal()).isEqualTo("narrow");
        assertThat(box(OLD).sealedUnderCurrentKey(narrow)).as("a rotation re-binds it").isFalse();
        assertThatThrownBy(() -> box(OLD).open(narrow, ROW_B)).hasMessageContaining("sealed for another place");
        assertThatThrownBy(() -> strictBox(OLD).open(narrow, ROW_A)).hasMessageContaining("accept-unbound is false");
        String bound = strictBox(OLD).seal(Secret.of("bound"), ROW_A);
        assertThat(strictBox(OLD).open(bound, ROW_A).reveal()).isEqualTo("bound");
    }
}
