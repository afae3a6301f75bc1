package billswitch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import static billswitch.support.SocketClient.exchange;
import static billswitch.support.SocketClient.status;

import java.util.List;
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

        // the console lives with the admin API: its login page there, nothing on the partners' port
        assertThat(new RawClient("http://localhost:" + adminPort).get("/console/login", Map.of()).status()).isEqualTo(200);
        for (String path : List.of("/console/login", "/console", "/console/assets/console.css")) {
            assertThat(new RawClient("http://localhost:" + port).get(path, Map.of()).status()).as(path).isEqualTo(404);
        }

        NativeClient partner = newPartner(0);
        assertThat(partner.get("/v1/wallet?currency=INR").status()).isEqualTo(200);
        Http partnerApiOnAdminPort = new RawClient("http://localhost:" + adminPort).get("/v1/wallet?currency=INR", Map.of());
        assertThat(partnerApiOnAdminPort.status()).isEqualTo(404);
    }

    /** The OpenAPI document is the partners' port's, unsigned, and lists the admin API served on the other port. */
    @Test
    void theOpenApiDocumentIsOnThePartnersPortAndListsTheAdminApi() {
        Http document = new RawClient("http://localhost:" + port).get("/v1/openapi.json", Map.of());
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().get("paths").has("/admin/ledger/verify")).isTrue();
        Http onAdminPort = new RawClient("http://localhost:" + adminConnector.localPort()).get("/v1/openapi.json", Map.of());
        assertThat(onAdminPort.status()).isEqualTo(404);
    }

    /**
     * Other spellings of /admin that the container decodes or normalises to /admin: with a valid admin token they are
     * NOT_FOUND (or refused as a bad request) on the partners' port, and answered on the admin port.
     */
    /** An address of its own: these connections do not count against 127.0.0.1's in this shared context. */
    private static final String CALLER = "127.0.0.31";

    @Test
    void anEncodedOrDottedAdminPathIsNotFoundOnThePartnersPort() throws Exception {
        int adminPort = adminConnector.localPort();
        Map<String, String> token = Map.of("Authorization", "Bearer demo-admin");
        List<String> spellings = List.of("/%61dmin/ledger/verify", "/adm%69n/ledger/verify", "/%61%64%6D%69%6E/ledger/verify",
                "/admin;x/ledger/verify", "/admin/ledger;x/verify", "//admin/ledger/verify", "/./admin/ledger/verify",
                "/v1/../admin/ledger/verify", "/v1/%2E%2E/admin/ledger/verify", "/admin%2Fledger%2Fverify",
                "/v1/..%2Fadmin/ledger/verify", "/%2Fadmin/ledger/verify");
        for (String target : spellings) {
            String partners = exchange(CALLER, port, "GET", target, token, null);
            assertThat(status(partners)).as(target + " on the partners' port: " + partners).isIn(400, 404);
        }
        for (String target : List.of("/%61dmin/ledger/verify", "/adm%69n/ledger/verify")) {
            String admin = exchange(CALLER, adminPort, "GET", target, token, null);
            assertThat(status(admin)).as(target + " on the admin port: " + admin).isEqualTo(200);
        }
        // Spellings the admin port's own checks may refuse as unnormalised (or close), but never as a path not there.
        for (String target : List.of("/admin;x/ledger/verify", "/./admin/ledger/verify", "/v1/../admin/ledger/verify")) {
            String admin = exchange(CALLER, adminPort, "GET", target, token, null);
            assertThat(status(admin)).as(target + " on the admin port: " + admin).isIn(-1, 200, 400);
        }
    }
}
