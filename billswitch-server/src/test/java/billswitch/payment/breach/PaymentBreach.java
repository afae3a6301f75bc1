package billswitch.payment.breach;

import billswitch.webhook.WebhookSignature;

/** Breaks "payments know no webhooks". For ArchitectureTest only. */
public class PaymentBreach {
    public WebhookSignature signature;
}
