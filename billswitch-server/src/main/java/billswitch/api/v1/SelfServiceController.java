package billswitch.api.v1;

import billswitch.admin.AuditLog;
import billswitch.api.TimeRange;
import billswitch.export.Exports;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.infra.http.JsonBody;
import billswitch.partner.PartnerService;
import billswitch.partner.WalletSettings;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner's self-service on the native API: rotating its own secret with an overlap window, its callback URL, and
 * its statement as CSV. Changes are recorded in the audit log (actor "partner:{id}").
 */
@RestController
@RequestMapping("/v1")
class SelfServiceController {
    /** How long the replaced secret keeps verifying when the request does not say. */
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);

    private final PartnerService partners;
    private final AuditLog audit;
    private final Exports exports;
    private final WalletSettings wallets;

    SelfServiceController(PartnerService partners, AuditLog audit, Exports exports, WalletSettings wallets) {
        this.wallets = wallets;
        this.partners = partners;
        this.audit = audit;
        this.exports = exports;
    }

    /** The new secret, shown once, and until when the replaced one still verifies. */
    record RotatedView(String apiKey, String secret, Instant previousValidUntil, boolean earlierPreviousSecretRevoked,
                       String note) {
    }

    @PostMapping(path = "/credentials/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
    RotatedView rotate(HttpServletRequest request) {
        requireCurrentSecret(request);
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        byte[] body = CachedBodyRequest.body(request);
        Duration overlap = DEFAULT_OVERLAP;
        if (body.length > 0) {
            NativeController.requireJson(request);
            JsonBody in = JsonBody.parse(body).allowOnly(Set.of("overlapSeconds"));
            Long seconds = in.optionalLong("overlapSeconds");
            if (seconds != null && (seconds < 0 || seconds > PartnerService.MAX_OVERLAP.toSeconds())) {
                in.problem("overlapSeconds", "must be between 0 and " + PartnerService.MAX_OVERLAP.toSeconds());
            }
            in.validate();
            if (seconds != null) {
                overlap = Duration.ofSeconds(seconds);
            }
        }
        Duration window = overlap;
        PartnerService.Rotated r = audit.partnerChange(partnerId, "partner.rotate-secret", "POST /v1/credentials/rotate",
                () -> null, () -> partners.rotateSecret(partnerId, window), rotated -> {
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("apiKey", rotated.keyId());
                    after.put("secret", "rotated");
                    after.put("previousValidUntil", rotated.previousValidUntil());
                    after.put("earlierPreviousSecretRevoked", rotated.earlierPreviousSecretRevoked());
                    return after;
                });
        String note = (r.previousValidUntil() == null
                ? "The previous secret no longer verifies."
                : "The previous secret verifies until previousValidUntil; sign with the new one from now on.")
                + (r.earlierPreviousSecretRevoked() ? " The secret replaced by your earlier rotation stopped verifying now." : "")
                + " The new secret is shown once.";
        return new RotatedView(r.keyId(), r.secret().reveal(), r.previousValidUntil(), r.earlierPreviousSecretRevoked(), note);
    }

    /** The partner's webhook settings; the signing secret only in the answer that issued it. */
    record WebhookView(String partnerId, String callbackUrl, String webhookSecret, String note) {
    }

    @GetMapping(path = "/webhook", produces = MediaType.APPLICATION_JSON_VALUE)
    WebhookView webhook(HttpServletRequest request) {
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        return new WebhookView(partnerId, partners.require(partnerId).callbackUrl(), null,
                partners.webhookSecret(partnerId).isPresent() ? "Deliveries are signed with the webhook secret you were given."
                        : "No webhook secret yet: setting a callback URL issues one.");
    }

    @PutMapping(path = "/webhook", produces = MediaType.APPLICATION_JSON_VALUE)
    WebhookView setWebhook(HttpServletRequest request) {
        requireCurrentSecret(request);
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        NativeController.requireJson(request);
        JsonBody in = JsonBody.parse(CachedBodyRequest.body(request)).allowOnly(Set.of("callbackUrl"));
        String url = in.optionalString("callbackUrl");
        if (url != null && !url.matches("^https?://\\S+$")) {
            in.problem("callbackUrl", "must be an http(s) URL");
        }
        in.validate();
        PartnerService.Webhook webhook = audit.partnerChange(partnerId, "partner.webhook", "PUT /v1/webhook",
                () -> endpoint(partners.require(partnerId).callbackUrl()), () -> partners.setCallbackUrl(partnerId, url),
                w -> endpoint(w.callbackUrl()));
        return new WebhookView(partnerId, webhook.callbackUrl(),
                webhook.secret() == null ? null : webhook.secret().reveal(),
                webhook.secret() == null ? "The webhook secret is unchanged."
                        : "Verify each delivery's BillSwitch-Signature with this secret; it is shown once.");
    }

    /**
     * The partner's own low-balance threshold for a currency's wallet (0: no wallet.low_balance webhook), audited as
     * the partner's change; its credit limit is set by BillSwitch's finance team only.
     */
    @PutMapping(path = "/wallet/{currency}/low-balance-threshold", produces = MediaType.APPLICATION_JSON_VALUE)
    NativeViews.WalletView setLowBalanceThreshold(HttpServletRequest request, @PathVariable String currency) {
        requireCurrentSecret(request);
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        Currency c = Currency.parse(currency);
        NativeController.requireJson(request);
        JsonBody in = JsonBody.parse(CachedBodyRequest.body(request)).allowOnly(Set.of("thresholdMinor"));
        Long threshold = in.requiredLong("thresholdMinor");
        in.validate();
        return NativeViews.WalletView.of(audit.partnerChange(partnerId, "wallet.low-balance-threshold",
                "PUT /v1/wallet/" + c + "/low-balance-threshold", () -> wallets.wallet(partnerId, c),
                () -> wallets.setLowBalanceThreshold(partnerId, c, threshold), w -> w));
    }

    /**
     * A rotation's replaced secret pays and reads during its overlap window, but never rotates again nor moves the
     * webhooks: whoever holds a leaked old secret cannot turn it into a fresh one or take the callbacks.
     */
    private static void requireCurrentSecret(HttpServletRequest request) {
        if (NativeAuthFilter.signedWithReplacedSecret(request)) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "This change must be signed with the current "
                    + "secret: the one a rotation replaced only pays and reads until its overlap window ends.");
        }
    }

    private static Map<String, Object> endpoint(String callbackUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callbackUrl", callbackUrl);
        return m;
    }

    /** The wallet's statement as CSV, oldest first, streamed (Exports). */
    @GetMapping("/statement.csv")
    void statementCsv(HttpServletRequest request, HttpServletResponse response,
                      @RequestParam(required = false) String currency,
                      @RequestParam(required = false) String from,
                      @RequestParam(required = false) String to) throws IOException {
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        if (currency == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Query parameter 'currency' is required.",
                    Map.of("currency", "is required"));
        }
        Currency c = Currency.parse(currency);
        TimeRange range = TimeRange.parse(from, to);
        exports.writeForPartner(new Exports.StatementFilter(partnerId, c, range.from(), range.to()), () -> {
            response.setContentType("text/csv; charset=utf-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"statement-" + partnerId.replaceAll(
                    "[^A-Za-z0-9._-]", "_") + "-" + c + ".csv\"");
            return response.getOutputStream();
        });
    }
}
