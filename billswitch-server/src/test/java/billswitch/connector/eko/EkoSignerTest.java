package billswitch.connector.eko;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** protocols.md's verified test vectors, and the constant-time check a callback uses. */
class EkoSignerTest {

    @Test
    void secretKeyVectors() {
        assertThat(new EkoSigner("TEST_ACCESS_KEY_DO_NOT_USE").secretKey("1700000000000"))
                .isEqualTo("u30ak/iOGwKCaspqCeiYng8fd98QDx7kF3DBBOadQHk=");
        assertThat(new EkoSigner("d2fe1d99-6298-4af2-8cc5-d97dcf46df30").secretKey("1700000000000"))
                .isEqualTo("qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=");
    }

    @Test
    void requestHashVector() {
        assertThat(new EkoSigner("d2fe1d99-6298-4af2-8cc5-d97dcf46df30")
                .requestHash("1700000000000", "151627591", "50", "20810200"))
                .isEqualTo("TO65c2+vieXFx4+yDLN50NoAHe1fnfyWfIAB2NJkiNc=");
    }

    @Test
    void admitsOnlyTheSecretKeyOfThatTimestamp() {
        EkoSigner signer = new EkoSigner("d2fe1d99-6298-4af2-8cc5-d97dcf46df30");
        assertThat(signer.admits("1700000000000", "qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=")).isTrue();
        assertThat(signer.admits("1700000000001", "qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=")).isFalse();
        assertThat(new EkoSigner("TEST_ACCESS_KEY_DO_NOT_USE")
                .admits("1700000000000", "qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=")).isFalse();
    }

    @Test
    void neverShowsTheKey() {
        assertThat(new EkoSigner("d2fe1d99-6298-4af2-8cc5-d97dcf46df30").toString()).doesNotContain("d2fe1d99");
    }
}
