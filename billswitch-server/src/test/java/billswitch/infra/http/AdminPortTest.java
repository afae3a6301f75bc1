package billswitch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API on a port of its own (billswitch.admin.port; here a random one): it answers there, /admin/** is
 * NOT_FOUND on the partners' port, and the admin port serves nothing else.
 */
class AdminPortTest extends EdgeServer {

    @Test
    void theAdminApiAnswersOnItsOwnPortOnly() {
        int adminPort = adminConnector.localPort();
        assertThat(adminPort).isPositive().isNotEqualTo(port);

        Http there = new AdminClient("http://localhost:" + adminPort, "demo-admin").get("/admin/ledger/verify");
        assertThat(there.status()).as(there.body()).isEqualTo(200);

        Http onPartnersPort = new AdminClient("http://localhost:" + port, "demo-admin").get("/admin/ledger/verify");
        assertThat(onPartnersPort.status()).as(onPartnersPort.body()).isEqualTo(404);
        assertThat(onPartnersPort.errorCode()).isEqualTo("NOT_FOUND");
        Http unauthenticated = new RawClient("http://localhost:" + port).get("/admin/partners", Map.of());
        assertThat(unauthenticated.status()).as("no hint that an admin API exists here").isEqualTo(404);

        NativeClient partner = newPartner(0);
        assertThat(partner.get("/v1/wallet?currency=INR").status()).isEqualTo(200);
        Http partnerApiOnAdminPort = new RawClient("http://localhost:" + adminPort).get("/v1/wallet?currency=INR", Map.of());
        assertThat(partnerApiOnAdminPort.status()).isEqualTo(404);
    }
}
