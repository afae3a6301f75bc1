package billswitch.support;

import billswitch.partner.PartnerService;
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the integration tests: the real server on a random port, in sandbox mode, over a real
 * embedded PostgreSQL started once per test JVM (the Spring context is shared).
 * Each test makes its own partner, so tests never see each other's money.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"sandbox", "test"})
@Import({FaultInjectingConnector.Config.class, StubProtocol.Config.class})
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected PartnerService partners;

    @Autowired
    protected FaultInjectingConnector faults;

    /** A new active partner with a native client, its INR wallet funded with the given paise. */
    protected NativeClient newPartner(long inrMinor) {
        return newPartner(inrMinor, List.of());
    }

    protected NativeClient newPartner(long inrMinor, List<String> ipAllowList) {
        String id = "T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String key = "key-" + id;
        String secret = "secret-" + UUID.randomUUID();
        partners.createWithCredential(id, "Test partner " + id, null, ipAllowList, key, Secret.of(secret));
        if (inrMinor > 0) {
            partners.topUp(id, Currency.INR, inrMinor, "test-funding");
        }
        return new NativeClient("http://localhost:" + port, id, key, secret);
    }

    protected AdminClient admin() {
        return new AdminClient("http://localhost:" + port, "demo-admin");
    }
}
