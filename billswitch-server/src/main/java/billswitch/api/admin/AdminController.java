package billswitch.api.admin;

import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerVerifier;
import billswitch.partner.Partner;
import billswitch.partner.PartnerService;
import billswitch.shared.Currency;
import billswitch.infra.http.JsonBody;
import billswitch.shared.Money;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Operating BillSwitch: partners, their secrets and status, wallet top-ups, the ledger check. */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminController {

    private final PartnerService partners;
    private final Ledger ledger;
    private final LedgerVerifier verifier;
    private final AuditLog audit;
    private final Approvals approvals;

    AdminController(PartnerService partners, Ledger ledger, LedgerVerifier verifier, AuditLog audit, Approvals approvals) {
        this.partners = partners;
        this.ledger = ledger;
        this.verifier = verifier;
        this.audit = audit;
        this.approvals = approvals;
    }

    /** available = balance - held + creditLimit; lowBalanceThresholdMinor 0: no alert. */
    record WalletView(String currency, long balanceMinor, long heldMinor, long availableMinor, long creditLimitMinor,
                      long lowBalanceThresholdMinor) {
        static WalletView of(Ledger.WalletBalance b) {
            return new WalletView(b.currency().name(), b.balanceMinor(), b.heldMinor(), b.availableMinor(),
                    b.creditLimitMinor(), b.lowBalanceThresholdMinor());
        }
    }

    record PartnerView(String id, String name, String status, String callbackUrl, List<String> ipAllowList,
                       List<WalletView> wallets) {
    }

    record Credentials(String apiKey, String apiSecret, String webhookSecret, String note) {
    }

    record CreatedView(PartnerView partner, Credentials credentials) {
    }

    record TopUpView(String partnerId, String currency, String transferId, long amountMinor, long openingMinor,
                     long closingMinor, boolean replayed) {
    }

    @PostMapping("/partners")
    ResponseEntity<CreatedView> create(@RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("id", "name", "callbackUrl", "ipAllowList"));
        String id = in.optionalString("id");
        String name = in.requiredString("name");
        String callbackUrl = in.optionalString("callbackUrl");
        List<String> ips = stringList(JsonBody.mapper().readTree(body).get("ipAllowList"), in);
        if (callbackUrl != null && !callbackUrl.matches("^https?://\\S+$")) {
            in.problem("callbackUrl", "must be an http(s) URL");
        }
        in.validate();
        CreatedView view = audit.change(AdminRequest.actor(), "partner.create", AdminRequest.line(),
                v -> "partner:" + v.partner().id(), () -> null, () -> {
                    PartnerService.Onboarded made = partners.onboard(id, name, callbackUrl, ips);
                    return new CreatedView(view(made.created().partner()),
                            new Credentials(made.created().keyId(), made.created().secret().reveal(),
                                    made.webhook().secret().reveal(),
                                    "The secrets are shown once: store them now. Rotate them if they are lost."));
                }, v -> Map.of("partner", partners.require(v.partner().id()), "apiKey", v.credentials().apiKey()));
        return ResponseEntity.status(201).body(view);
    }

    record CredentialView(String partnerId, String dialect, String keyId, String secret, List<String> ipAllowList,
                          Map<String, Object> attributes, String note) {
    }

    /**
     * Adds a provider-dialect credential: AOPAY (keyId = RegistrationID; ipAllowList for the unsigned mode),
     * EKO (keyId = developer_key, secret = access key; attributes initiatorId, userCodes, requireRequestHash: false
     * only with an ipAllowList),
     * APPOTAPAY (keyId = api key, secret = secret key; attributes partnerCode). A missing secret is generated.
     */
    @PostMapping("/partners/{id}/credentials")
    ResponseEntity<CredentialView> addCredential(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("dialect", "keyId", "secret", "ipAllowList", "attributes"));
        String dialect = in.requiredString("dialect");
        String keyId = in.requiredString("keyId");
        String secret = in.optionalString("secret");
        JsonNode root = JsonBody.mapper().readTree(body);
        List<String> ips = stringList(root.get("ipAllowList"), in);
        JsonNode attributesNode = root.get("attributes");
        if (attributesNode != null && !attributesNode.isNull() && !attributesNode.isObject()) {
            in.problem("attributes", "must be an object");
        }
        checkRequestHashFlag(attributesNode, in);
        if (PartnerService.EKO.equals(dialect) && omitsRequestHash(attributesNode) && ips.isEmpty()) {
            in.problem("ipAllowList", PartnerService.NO_HASH_NEEDS_ALLOW_LIST);
        }
        in.validate();
        Map<String, Object> attributes = attributesNode == null || attributesNode.isNull() ? Map.of()
                : JsonBody.mapper().convertValue(attributesNode, new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        String actualSecret = audit.change(AdminRequest.actor(), "partner.credential.add", AdminRequest.line(),
                "partner:" + id, () -> null,
                () -> partners.addDialectCredential(id, dialect, keyId, secret, ips, attributes).reveal(),
                v -> new CredentialView(id, dialect, keyId, null, ips, attributes, null));
        return ResponseEntity.status(201).body(new CredentialView(id, dialect, keyId, actualSecret, ips, attributes,
                "The secret is shown once: store it now."));
    }

    record AttributesView(String partnerId, String keyId, Map<String, Object> attributes) {
    }

    /**
     * Changes attributes of a partner's credential, keeping the others: e.g. an Eko credential's
     * {@code requireRequestHash} (true unless set false: false lets the v3 SDKs, which send no request_hash, pay;
     * refused, INVALID_REQUEST, for an Eko credential without its own IP allow-list).
     */
    @PatchMapping("/partners/{id}/credentials/{keyId}")
    AttributesView patchCredential(@PathVariable String id, @PathVariable String keyId,
                                   @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("attributes"));
        JsonNode attributesNode = JsonBody.mapper().readTree(body).get("attributes");
        if (attributesNode == null || !attributesNode.isObject()) {
            in.problem("attributes", "must be an object");
        }
        checkRequestHashFlag(attributesNode, in);
        if (omitsRequestHash(attributesNode) && partners.credential(keyId)
                .filter(c -> c.partner().id().equals(id) && PartnerService.EKO.equals(c.dialect()))
                .filter(c -> c.ipAllowList().isEmpty()).isPresent()) {
            in.problem("attributes.requireRequestHash", PartnerService.NO_HASH_NEEDS_ALLOW_LIST);
        }
        in.validate();
        Map<String, Object> changes = JsonBody.mapper().convertValue(attributesNode,
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        return audit.change(AdminRequest.actor(), "partner.credential.attributes", AdminRequest.line(),
                "partner:" + id + ":credential:" + keyId,
                () -> partners.credential(keyId).map(PartnerService.Credential::attributes).orElse(null),
                () -> new AttributesView(id, keyId, partners.updateAttributes(id, keyId, changes)), AttributesView::attributes);
    }

    /** The attributes set requireRequestHash to false. */
    private static boolean omitsRequestHash(JsonNode attributes) {
        JsonNode flag = attributes == null || !attributes.isObject() ? null : attributes.get("requireRequestHash");
        return flag != null && flag.isBoolean() && !flag.booleanValue();
    }

    private static void checkRequestHashFlag(JsonNode attributes, JsonBody in) {
        JsonNode flag = attributes == null || !attributes.isObject() ? null : attributes.get("requireRequestHash");
        if (flag != null && !flag.isBoolean()) {
            in.problem("attributes.requireRequestHash", "must be true or false");
        }
    }

    @GetMapping("/partners/{id}")
    PartnerView partner(@PathVariable String id) {
        return view(partners.require(id));
    }

    /** As {@link Credentials}, and until when the replaced secret still verifies (null: it stopped at once). */
    record Rotation(String apiKey, String apiSecret, String webhookSecret, java.time.Instant previousValidUntil,
                    String note) {
    }

    /**
     * A new native secret, shown once. The replaced one stops at once, unless the body asks for an overlap
     * ({"overlapSeconds": n}, at most 7 days), as a partner's own rotation (POST /v1/credentials/rotate) does.
     */
    @PostMapping("/partners/{id}/rotate-secret")
    Rotation rotate(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        Long seconds = null;
        if (body != null && body.length > 0) {
            JsonBody in = JsonBody.parse(body).allowOnly(Set.of("overlapSeconds"));
            seconds = in.optionalLong("overlapSeconds");
            if (seconds != null && (seconds < 0 || seconds > PartnerService.MAX_OVERLAP.toSeconds())) {
                in.problem("overlapSeconds", "must be between 0 and " + PartnerService.MAX_OVERLAP.toSeconds());
            }
            in.validate();
        }
        java.time.Duration overlap = java.time.Duration.ofSeconds(seconds == null ? 0 : seconds);
        PartnerService.Rotated r = audit.change(AdminRequest.actor(), "partner.rotate-secret", AdminRequest.line(),
                "partner:" + id, () -> null, () -> partners.rotateSecret(id, overlap), c -> {
                    Map<String, Object> after = new java.util.LinkedHashMap<>();
                    after.put("apiKey", c.keyId());
                    after.put("secret", "rotated");
                    after.put("previousValidUntil", c.previousValidUntil());
                    return after;
                });
        return new Rotation(r.keyId(), r.secret().reveal(), null, r.previousValidUntil(),
                "The secret is shown once: store it now. " + (r.previousValidUntil() == null
                        ? "The previous secret no longer verifies."
                        : "The previous secret verifies until previousValidUntil."));
    }

    @PostMapping("/partners/{id}/suspend")
    PartnerView suspend(@PathVariable String id) {
        return view(setStatus(id, Partner.Status.SUSPENDED, "partner.suspend"));
    }

    @PostMapping("/partners/{id}/reactivate")
    PartnerView reactivate(@PathVariable String id) {
        return view(setStatus(id, Partner.Status.ACTIVE, "partner.reactivate"));
    }

    private Partner setStatus(String id, Partner.Status status, String action) {
        return audit.change(AdminRequest.actor(), action, AdminRequest.line(), "partner:" + id, () -> partners.require(id),
                () -> partners.setStatus(id, status), p -> p);
    }


    @PostMapping("/partners/{id}/wallets/{currency}/top-ups")
    ResponseEntity<Object> topUp(@PathVariable String id, @PathVariable String currency,
                                    @RequestBody(required = false) byte[] body) {
        Currency c = Currency.parse(currency);
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("amountMinor", "reference"));
        Long amount = in.requiredLong("amountMinor");
        String reference = in.requiredString("reference");
        if (amount != null && (amount <= 0 || amount > Money.MAX_MAJOR * 100)) {
            in.problem("amountMinor", "must be a positive whole number of minor units");
        }
        if (reference != null && !PartnerService.TOP_UP_REFERENCE.matcher(reference).matches()) {
            in.problem("reference", PartnerService.TOP_UP_REFERENCE_RULE);
        }
        in.validate();
        Approvals.Outcome<PartnerService.TopUp> outcome = approvals.topUp(AdminRequest.actor(), AdminRequest.line(), id, c,
                amount, reference);
        if (outcome.pending() != null) {
            return PendingView.of(outcome.pending());
        }
        PartnerService.TopUp t = outcome.done();
        return ResponseEntity.status(t.replayed() ? 200 : 201).body(new TopUpView(id, c.name(),
                Long.toString(t.transferId()), t.amountMinor(), t.openingMinor(), t.closingMinor(), t.replayed()));
    }

    @GetMapping("/ledger/verify")
    LedgerVerifier.Report verify() {
        return verifier.verify();
    }

    private PartnerView view(Partner p) {
        List<WalletView> wallets = Arrays.stream(Currency.values())
                .map(c -> WalletView.of(ledger.balance(partners.walletId(p.id(), c)))).toList();
        return new PartnerView(p.id(), p.name(), p.status().name(), p.callbackUrl(), p.ipAllowList(), wallets);
    }

    private static Credentials credentials(PartnerService.Created created) {
        return new Credentials(created.keyId(), created.secret().reveal(), null,
                "The secret is shown once: store it now. Rotate it if it is lost.");
    }

    private static List<String> stringList(JsonNode node, JsonBody in) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            in.problem("ipAllowList", "must be an array of IP addresses or CIDR blocks");
            return values;
        }
        for (JsonNode item : node) {
            if (!item.isString()) {
                in.problem("ipAllowList", "must be an array of strings");
                return values;
            }
            values.add(item.stringValue());
        }
        if (values.size() > 100) {
            in.problem("ipAllowList", "at most 100 entries");
        }
        return values;
    }
}
