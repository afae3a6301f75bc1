package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The references sent upstream fit every provider's client-reference field: Eko's client_ref_id, the shortest,
 * takes 6 to 19 characters. A bill fetch's reference was 21 (the prefix, "F" and 12 hex digits), so no bill
 * could be fetched through an Eko connector.
 */
class AttemptReferencesTest extends IntegrationTest {
    /** Eko's client_ref_id (protocols.md; EkoProtocol refuses anything else before sending). */
    private static final String EKO_CLIENT_REF = "^[A-Za-z0-9._:-]{6,19}$";

    @Autowired
    private AttemptReferences references;

    @Test
    void aFetchReferenceFitsEkosClientRefIdAndIsFreshEachTime() {
        String prefix = references.of(0).substring(0, references.of(0).length() - 1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String reference = references.forFetch();
            assertThat(reference).matches(EKO_CLIENT_REF).matches("^[A-Z0-9]+$").startsWith(prefix + "F").hasSize(19);
            assertThat(references.attemptOf(reference)).as("never read as an attempt's").isEmpty();
            seen.add(reference);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void anAttemptsReferenceFitsEkosClientRefIdUpToIdsOfElevenDigits() {
        assertThat(references.of(1)).matches(EKO_CLIENT_REF);
        assertThat(references.of(99_999_999_999L)).matches(EKO_CLIENT_REF);
        assertThat(references.attemptOf(references.of(99_999_999_999L))).hasValue(99_999_999_999L);
    }
}
