package billswitch.webhook;

import billswitch.infra.crypto.Hmac;

/**
 * The webhook signature header: {@code BillSwitch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * t + "." + raw body)>}. Receivers recompute v1 over the exact bytes received and reject a stale t.
 */
public final class WebhookSignature {
    public static final String HEADER = "BillSwitch-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + Hmac.sha256Hex(secret, unixSeconds + "." + body);
    }
}
