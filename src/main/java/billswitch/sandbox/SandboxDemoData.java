package billswitch.sandbox;

import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.BillSwitchProperties;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Sandbox mode's demo partner AOP-554 (the seeds' RegistrationID) with known credentials and funded
 * wallets, created once and printed at every start so a newcomer can call the API at once.
 */
@Component
@ConditionalOnProperty(name = "billswitch.sandbox.enabled", havingValue = "true")
class SandboxDemoData implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(SandboxDemoData.class);
    static final String PARTNER = "AOP-554";
    static final String KEY = "demo-key";
    static final String SECRET = "demo-secret";

    private final PartnerService partners;
    private final BillSwitchProperties props;
    private final Environment environment;

    SandboxDemoData(PartnerService partners, BillSwitchProperties props, Environment environment) {
        this.partners = partners;
        this.props = props;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (partners.find(PARTNER).isEmpty()) {
            try {
                partners.createWithCredential(PARTNER, "Demo Partner (AOP-554)", null, List.of(), KEY, Secret.of(SECRET));
            } catch (BillSwitchException e) {
                if (e.code() != ErrorCode.PARTNER_EXISTS) {
                    throw e;
                }
            }
            partners.topUp(PARTNER, Currency.INR, 10_000_000L, "demo-opening-balance");
            partners.topUp(PARTNER, Currency.VND, 100_000_000L, "demo-opening-balance");
        }
        log.info("""

                ==================== BillSwitch sandbox ====================
                 Port:          {}
                 Admin token:   Authorization: Bearer {}
                 Demo partner:  {}
                 Native API:    X-Api-Key {} / secret {}
                 Wallets:       INR 100,000.00 and VND 100,000,000 at creation
                 Sandbox rule:  account ending 8 = declined, 9 = no answer
                ============================================================""",
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")),
                props.adminToken(), PARTNER, KEY, SECRET);
    }
}
