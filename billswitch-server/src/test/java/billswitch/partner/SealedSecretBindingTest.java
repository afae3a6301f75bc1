package billswitch.partner;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Secret;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Through the real server: a sealed secret is bound to its row. Copied into another partner's credential (by someone
 * who can write the database but not read the master key), it opens for neither secret: that credential is refused
 * like an unknown key, never a 500, and the partner it was copied from works as before.
 */
class SealedSecretBindingTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;

    @Test
    void aSealedSecretCopiedToAnotherRowDoesNotOpen() {
        String victimSecret = "victim-" + UUID.randomUUID();
        String otherSecret = "other-" + UUID.randomUUID();
        NativeClient victim = partner(victimSecret);
        NativeClient other = partner(otherSecret);
        jdbc.sql("""
                update partner_credentials set secret_enc = (select secret_enc from partner_credentials where key_id = :from)
                where key_id = :to""").param("from", victim.keyId).param("to", other.keyId).update();

        // The other key signed with the victim's secret (what the copy would have given it), and with its own.
        for (String secret : List.of(victimSecret, otherSecret)) {
            Http refused = other.withSecret(secret).get("/v1/wallet?currency=INR");
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        }
        Http stillFine = victim.get("/v1/wallet?currency=INR");
        assertThat(stillFine.status()).as(stillFine.body()).isEqualTo(200);
    }

    private NativeClient partner(String secret) {
        String id = "S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        partners.createWithCredential(id, "Sealed " + id, null, List.of(), "key-" + id, Secret.of(secret));
        return new NativeClient("http://localhost:" + port, id, "key-" + id, secret);
    }
}
