package billswitch.sandbox;

import billswitch.partner.Partner;
import billswitch.admin.AdminIdentities;
import billswitch.admin.AdminRole;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.config.RequiredSettings;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.util.List;
import java.util.Map;
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
    static final String AOPAY_SECRET = "demo-aopay-secret";
    static final String WEBHOOK_SECRET = "demo-webhook-secret";
    static final String EKO_DEVELOPER_KEY = "becbbce45f79c6f5109f848acd540567";
    static final String EKO_ACCESS_KEY = "d2fe1d99-6298-4af2-8cc5-d97dcf46df30";
    static final String EKO_INITIATOR_ID = "9962981729";
    static final String EKO_USER_CODE = "20810200";
    static final String APPOTA_PARTNER_CODE = "APPOTA-DEMO";
    static final String APPOTA_API_KEY = "demo-appota-key";
    static final String APPOTA_SECRET = "demo-appota-secret";

    /** The console's demo viewer (role READ_ONLY), beside the built-in admin / demo-admin. */
    static final String VIEWER = "viewer";
    static final String VIEWER_TOKEN = "demo-viewer";

    private final PartnerService partners;
    private final AdminIdentities identities;
    private final BillSwitchProperties props;
    private final Environment environment;

    SandboxDemoData(PartnerService partners, AdminIdentities identities, BillSwitchProperties props,
                    Environment environment) {
        this.partners = partners;
        this.identities = identities;
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
            partners.setWebhookSecret(PARTNER, Secret.of(WEBHOOK_SECRET));
            partners.topUp(PARTNER, Currency.INR, 10_000_000L, "demo-opening-balance");
            partners.topUp(PARTNER, Currency.VND, 100_000_000L, "demo-opening-balance");
        }
        addIfMissing(PartnerService.AOPAY, PARTNER, AOPAY_SECRET, List.of("127.0.0.1", "::1"), Map.of());
        addIfMissing(PartnerService.EKO, EKO_DEVELOPER_KEY, EKO_ACCESS_KEY, List.of(), Map.of(
                "initiatorId", EKO_INITIATOR_ID, "userCodes", List.of(EKO_USER_CODE)));
        addIfMissing(PartnerService.APPOTAPAY, APPOTA_API_KEY, APPOTA_SECRET, List.of(),
                Map.of("partnerCode", APPOTA_PARTNER_CODE));
        identities.ensureDemo(VIEWER, AdminRole.READ_ONLY, VIEWER_TOKEN);
        log.info("{}", banner());
    }

    /**
     * The demo partner's credentials as they are now in the database: a secret still the demo's is printed; one
     * replaced since (a rotated native secret, a configured webhook) is not, since it was shown once when it was
     * issued, and the banner says so rather than print the stale demo value.
     */
    String banner() {
        Partner partner = partners.find(PARTNER).orElseThrow();
        boolean demoSecret = partners.webhookSecret(PARTNER).map(s -> s.reveal().equals(WEBHOOK_SECRET)).orElse(false);
        String webhook = (partner.callbackUrl() == null ? "no callback URL" + (demoSecret ? " until set" : "")
                : "to " + partner.callbackUrl()) + "; signing secret " + (demoSecret ? WEBHOOK_SECRET
                : "replaced since (shown once by POST /admin/partners/" + PARTNER + "/webhook)");
        return """

                ==================== BillSwitch sandbox ====================
                 Port:          %s
                 Admin token:   Authorization: Bearer %s
                 Console:       http://localhost:%s/console  admin / %s (ADMIN), viewer / %s (READ_ONLY)
                 Demo partner:  %s%s
                 Native API:    X-Api-Key %s / secret %s
                 AOPay:         RegistrationID %s from 127.0.0.1 / ::1, or X-AOPay-Signature with secret %s
                 Eko:           developer_key %s / access key %s
                                initiator_id %s / user_code %s
                 AppotaPay:     partner code %s / api key %s / secret key %s
                 Webhooks:      %s
                 Wallets:       INR 100,000.00 and VND 100,000,000 at creation
                 Sandbox rule:  account ending 8 = declined, 9 = no answer
                ============================================================""".formatted(
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")),
                adminToken(), environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")),
                adminToken(), VIEWER_TOKEN, PARTNER, partner.status() == Partner.Status.ACTIVE ? "" : " (" + partner.status() + ")",
                KEY, current(KEY, SECRET), PARTNER, current(PARTNER, AOPAY_SECRET), EKO_DEVELOPER_KEY,
                current(EKO_DEVELOPER_KEY, EKO_ACCESS_KEY), EKO_INITIATOR_ID, EKO_USER_CODE, APPOTA_PARTNER_CODE,
                APPOTA_API_KEY, current(APPOTA_API_KEY, APPOTA_SECRET), webhook);
    }

    /** The demo token, printed; a token the operator chose is theirs and stays out of the log. */
    private String adminToken() {
        return RequiredSettings.DEMO_ADMIN_TOKEN.equals(props.adminToken()) ? RequiredSettings.DEMO_ADMIN_TOKEN
                : "<the token set in BILLSWITCH_ADMIN_TOKEN, not shown>";
    }

    /** The demo secret if the credential still has it, else a note that it was replaced. */
    private String current(String keyId, String demoSecret) {
        return partners.credential(keyId)
                .map(c -> c.secret().reveal().equals(demoSecret) ? demoSecret : "replaced since (not " + demoSecret + ")")
                .orElse("(no such credential)");
    }

    private void addIfMissing(String dialect, String keyId, String secret, List<String> allowList,
                              Map<String, Object> attributes) {
        if (partners.credential(keyId).isEmpty()) {
            try {
                partners.addCredential(PARTNER, dialect, keyId, Secret.of(secret), allowList, attributes);
            } catch (BillSwitchException e) {
                if (e.code() != ErrorCode.PARTNER_EXISTS) {
                    throw e;
                }
            }
        }
    }
}
