package billswitch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Secret;
import billswitch.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The start-up banner prints the demo partner's credentials as they are now, never a secret replaced since. */
class SandboxDemoDataTest extends IntegrationTest {

    @Autowired
    SandboxDemoData demo;

    @Test
    void theBannerNoLongerPrintsTheDemoWebhookSecretOnceItWasReplaced() {
        assertThat(demo.banner()).contains("X-Api-Key demo-key / secret demo-secret",
                "no callback URL until set; signing secret demo-webhook-secret");
        try {
            partners.configureWebhook(SandboxDemoData.PARTNER, "https://partner.example/billswitch-hooks");
            assertThat(demo.banner()).doesNotContain("demo-webhook-secret")
                    .contains("to https://partner.example/billswitch-hooks; signing secret replaced since");
        } finally {
            partners.configureWebhook(SandboxDemoData.PARTNER, null);
            partners.setWebhookSecret(SandboxDemoData.PARTNER, Secret.of(SandboxDemoData.WEBHOOK_SECRET));
        }
        assertThat(demo.banner()).contains("no callback URL until set; signing secret demo-webhook-secret");
    }
}
