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
 * Through the real server: a sealed secret is bound to its row and to the partner whose wallet it spends. Copied into
 * another partner's credential, or the credential row moved to another partner (by someone who can write the
 * database but not read the master key), it does not open: that credential is refused like an unknown key (401, a
 * wrong signature), never a 500, and no money moves.
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

    @Test
    void aCredentialMovedToAnotherPartnerDoesNotSpendItsWallet() {
        NativeClient attacker = partner("attacker-" + UUID.randomUUID());
        NativeClient victim = newPartner(100_000);
        // One credential per partner and dialect: the victim's own is parked on a partner of the writer's making first.
        String parked = "PARK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        jdbc.sql("insert into partners (id, name, status) values (:id, 'parked', 'ACTIVE')").param("id", parked).update();
        moveCredential(victim.keyId, parked);
        moveCredential(attacker.keyId, victim.partnerId);

        Http spent = attacker.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""",
                "moved-" + attacker.keyId);
        assertThat(spent.status()).as(spent.body()).isEqualTo(401);
        assertThat(spent.errorCode()).isEqualTo("INVALID_SIGNATURE");

        moveCredential(attacker.keyId, attacker.partnerId);
        moveCredential(victim.keyId, victim.partnerId);
        assertThat(victim.availableInr()).isEqualTo(100_000);
        assertThat(jdbc.sql("select count(*) from orders where partner_id = :p").param("p", victim.partnerId)
                .query(Long.class).single()).isZero();
    }

    private void moveCredential(String keyId, String partnerId) {
        jdbc.sql("update partner_credentials set partner_id = :p where key_id = :k").param("p", partnerId).param("k", keyId).update();
    }

    private NativeClient partner(String secret) {
        String id = "S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        partners.createWithCredential(id, "Sealed " + id, null, List.of(), "key-" + id, Secret.of(secret));
        return new NativeClient("http://localhost:" + port, id, "key-" + id, secret);
    }
}
