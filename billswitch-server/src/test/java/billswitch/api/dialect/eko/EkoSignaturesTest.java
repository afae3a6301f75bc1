package billswitch.api.dialect.eko;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** protocols.md's verified test vectors. */
class EkoSignaturesTest {

    @Test
    void secretKeyVectors() {
        assertThat(EkoSignatures.secretKey("TEST_ACCESS_KEY_DO_NOT_USE", "1700000000000"))
                .isEqualTo("u30ak/iOGwKCaspqCeiYng8fd98QDx7kF3DBBOadQHk=");
        assertThat(EkoSignatures.secretKey("d2fe1d99-6298-4af2-8cc5-d97dcf46df30", "1700000000000"))
                .isEqualTo("qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=");
    }

    @Test
    void requestHashVector() {
        assertThat(EkoSignatures.requestHash("d2fe1d99-6298-4af2-8cc5-d97dcf46df30", "1700000000000",
                "151627591", "50", "20810200")).isEqualTo("TO65c2+vieXFx4+yDLN50NoAHe1fnfyWfIAB2NJkiNc=");
    }
}
