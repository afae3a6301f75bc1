package billswitch.console.partner;

import billswitch.admin.AdminIdentity;
import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.console.ConsolePages;
import billswitch.ledger.Ledger;
import billswitch.partner.Partner;
import billswitch.partner.PartnerLimits;
import billswitch.partner.PartnerService;
import billswitch.partner.WalletSettings;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's partners: the list and search, onboarding (credentials shown once, on the answer to the form), and
 * a partner's page: status, credentials, callback URL, limits, wallets and their statement, top-ups (above the
 * approval threshold they wait for a second person), suspend and reactivate. The same services, rules and audit
 * entries as the admin API; the roles as its matrix (credentials, callback URL and limits: ADMIN).
 */
@Controller
@RequestMapping("/console/partners")
class PartnersController {
    private static final int PAGE = 50;
    private static final int STATEMENT_PAGE = 25;

    private final PartnerService partners;
    private final PartnerLimits limits;
    private final WalletSettings walletSettings;
    private final Ledger ledger;
    private final Approvals approvals;
    private final AuditLog audit;
    private final JsonMapper json;

    PartnersController(PartnerService partners, PartnerLimits limits, WalletSettings walletSettings, Ledger ledger,
                       Approvals approvals, AuditLog audit,
                       JsonMapper json) {
        this.partners = partners;
        this.limits = limits;
        this.walletSettings = walletSettings;
        this.ledger = ledger;
        this.approvals = approvals;
        this.audit = audit;
        this.json = json;
    }

    /** A wallet as a page shows it: amounts in major units. */
    record WalletRow(String currency, String balance, String held, String available, String creditLimit,
                     String lowBalanceThreshold) {
        static WalletRow of(Ledger.WalletBalance b) {
            Currency c = b.currency();
            return new WalletRow(c.name(), c.format(b.balanceMinor()), c.format(b.heldMinor()), c.format(b.availableMinor()),
                    c.format(b.creditLimitMinor()),
                    b.lowBalanceThresholdMinor() == 0 ? null : c.format(b.lowBalanceThresholdMinor()));
        }
    }

    record PartnerRow(Partner partner, List<WalletRow> wallets) {
    }

    /** One line of a wallet's statement, in major units. */
    record StatementRow(String id, String type, String direction, String amount, String opening, String closing,
                        String orderId, String reference, java.time.Instant at) {
        static StatementRow of(Currency c, Ledger.StatementEntry e) {
            String type = switch (e.kind()) {
                case PENDING -> "HOLD";
                case POST_PENDING -> "SETTLED";
                case VOID_PENDING -> "REFUND";
                case POSTED -> e.code().name();
            };
            return new StatementRow(Long.toString(e.transferId()), type, e.direction().name(), c.format(e.amountMinor()),
                    c.format(e.openingMinor()), c.format(e.closingMinor()),
                    e.orderId() == null ? null : Long.toString(e.orderId()), e.reference(), e.at());
        }
    }

    /** An approval waiting on this partner. */
    record PendingRow(String id, String action, String amount, String requestedBy) {
        static PendingRow of(Approvals.ApprovalView a) {
            return new PendingRow(a.id(), a.action(), Currency.valueOf(a.currency()).format(a.amountMinor()) + " "
                    + a.currency(), a.requestedBy());
        }
    }

    @GetMapping
    String list(@RequestParam(required = false) String q, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("rows", partners.search(q, PAGE).stream()
                .map(l -> new PartnerRow(l.partner(), l.wallets().stream().map(WalletRow::of).toList())).toList());
        model.addAttribute("limit", PAGE);
        model.addAttribute("currencies", Currency.values());
        model.addAttribute("form", model.containsAttribute("form") ? model.getAttribute("form") : Map.of());
        return "console/partners";
    }

    /** Onboards a partner; its API key, secret and webhook secret are on this answer alone. */
    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    public String create(@AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                         HttpServletResponse response, @RequestParam Map<String, String> form, Model model) {
        String id = blankToNull(form.get("id"));
        String name = form.getOrDefault("name", "").trim();
        String callbackUrl = blankToNull(form.get("callbackUrl"));
        try {
            List<String> ips = entries(form.get("ipAllowList"));
            PartnerService.Onboarded made = audit.change(me, "partner.create", line(request),
                    o -> "partner:" + o.created().partner().id(), () -> null,
                    () -> partners.onboard(id, name, callbackUrl, ips),
                    o -> Map.of("partner", o.created().partner(), "apiKey", o.created().keyId()));
            model.addAttribute("partner", made.created().partner());
            model.addAttribute("title", "Partner " + made.created().partner().id() + " created");
            model.addAttribute("secrets", secrets("API key", made.created().keyId(), "API secret",
                    made.created().secret().reveal(), "Webhook secret", made.webhook().secret().reveal()));
            return "console/shown-once";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            if (e.code() == ErrorCode.PARTNER_EXISTS) {
                model.addAttribute("errors", Map.of("id", e.getMessage()));
            }
            response.setStatus(e.code().httpStatus());
            model.addAttribute("form", form);
            return list(null, model);
        }
    }

    @GetMapping("/{id}")
    String partner(@PathVariable String id, @RequestParam(required = false) String currency,
                   @RequestParam(required = false) String before, Model model) {
        Partner partner = partners.require(id);
        Currency shown = currency == null ? Currency.INR : Currency.parse(currency);
        long beforeId = before != null && before.matches("^[0-9]{1,18}$") ? Long.parseLong(before) : Long.MAX_VALUE;
        List<Ledger.StatementEntry> entries = ledger.statement(partners.walletId(id, shown), beforeId, STATEMENT_PAGE);
        model.addAttribute("partner", partner);
        model.addAttribute("wallets", Arrays.stream(Currency.values())
                .map(c -> WalletRow.of(ledger.balance(partners.walletId(id, c)))).toList());
        model.addAttribute("currencies", Currency.values());
        model.addAttribute("currency", shown.name());
        model.addAttribute("statement", entries.stream().map(e -> StatementRow.of(shown, e)).toList());
        model.addAttribute("statementOpening", entries.isEmpty() ? null
                : shown.format(entries.get(entries.size() - 1).openingMinor()));
        model.addAttribute("statementClosing", entries.isEmpty() ? null : shown.format(entries.get(0).closingMinor()));
        model.addAttribute("nextBefore", entries.size() == STATEMENT_PAGE
                ? Long.toString(entries.get(entries.size() - 1).transferId()) : null);
        model.addAttribute("firstPage", before == null);
        model.addAttribute("credentials", partners.credentials(id));
        model.addAttribute("dialects", List.of(PartnerService.AOPAY, PartnerService.EKO, PartnerService.APPOTAPAY));
        model.addAttribute("limits", limits.of(id));
        model.addAttribute("override", limits.override(id));
        model.addAttribute("pending", approvals.list("PENDING", 200).stream()
                .filter(a -> a.target().equals("partner:" + id)).map(PendingRow::of).toList());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of());
        }
        return "console/partner";
    }

    /** A change refused: the partner's page again, with the form as sent and its errors next to its fields. */
    private String refusedOn(String id, BillSwitchException e, Map<String, String> form, String prefix,
                             HttpServletResponse response, Model model) {
        ConsolePages.refused(model, e);
        Map<String, String> errors = new LinkedHashMap<>();
        e.fields().forEach((field, message) -> errors.put(prefix + field, message));
        model.addAttribute("errors", errors);
        model.addAttribute("form", form);
        response.setStatus(e.code().httpStatus());
        return partner(id, null, null, model);
    }

    /**
     * Credits a wallet, or (above the currency's approval threshold) files a request a second person approves on
     * /console/approvals; the page says which.
     */
    @PostMapping("/{id}/top-ups")
    @PreAuthorize("hasAnyRole('FINANCE','ADMIN')")
    public String topUp(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id, HttpServletRequest request,
                        HttpServletResponse response, @RequestParam Map<String, String> form, Model model,
                        RedirectAttributes redirect) {
        try {
            Currency currency;
            try {
                currency = Currency.parse(form.get("currency"));
            } catch (BillSwitchException e) {
                throw invalid("currency", e.getMessage());
            }
            String amountText = form.getOrDefault("amount", "").trim();
            Money amount = Money.parseMajor(amountText, currency);
            Map<String, String> problems = new LinkedHashMap<>();
            if (amount == null || !amount.isPositive()) {
                problems.put("amount", "must be a positive amount in " + currency + " with at most "
                        + currency.minorDigits() + " decimals, e.g. " + currency.format(50_000));
            }
            String reference = form.getOrDefault("reference", "").trim();
            if (!PartnerService.TOP_UP_REFERENCE.matcher(reference).matches()) {
                problems.put("reference", PartnerService.TOP_UP_REFERENCE_RULE);
            }
            if (!problems.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The top-up was not made: see the fields.", problems);
            }
            Approvals.Outcome<PartnerService.TopUp> outcome = approvals.topUp(me, line(request), id, currency,
                    amount.amountMinor(), reference);
            if (outcome.pending() != null) {
                redirect.addFlashAttribute("notice", "Top-up of " + amount + " is above the approval threshold: it waits"
                        + " for a second person's approval (" + outcome.pending().id() + "). The balance has not moved.");
                redirect.addFlashAttribute("approvalId", outcome.pending().id());
            } else {
                PartnerService.TopUp t = outcome.done();
                redirect.addFlashAttribute("notice", (t.replayed() ? "Top-up " + reference + " was made before: "
                        : "Topped up " + amount + ": ") + "available " + currency.format(t.openingMinor()) + " → "
                        + currency.format(t.closingMinor()) + " " + currency + ".");
            }
            return "redirect:/console/partners/" + id + "?currency=" + currency;
        } catch (BillSwitchException e) {
            return refusedOn(id, e, form, "", response, model);
        }
    }

    /**
     * Sets a wallet's credit limit and low-balance threshold (major units; a field left blank keeps its value; a
     * threshold of 0 turns the alert off), each an audited change as through the admin API. A credit limit below what
     * the wallet owes now is refused next to its field.
     */
    @PostMapping("/{id}/wallet-terms")
    @PreAuthorize("hasAnyRole('FINANCE','ADMIN')")
    public String walletTerms(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id,
                              HttpServletRequest request, HttpServletResponse response,
                              @RequestParam Map<String, String> form, Model model, RedirectAttributes redirect) {
        try {
            Currency currency;
            try {
                currency = Currency.parse(form.get("currency"));
            } catch (BillSwitchException e) {
                throw invalid("termsCurrency", e.getMessage());
            }
            Map<String, String> problems = new LinkedHashMap<>();
            Long limit = minorOrNull(form.get("creditLimit"), currency, "creditLimit", problems);
            Long threshold = minorOrNull(form.get("lowBalanceThreshold"), currency, "lowBalanceThreshold", problems);
            if (problems.isEmpty() && limit == null && threshold == null) {
                problems.put("creditLimit", "give a credit limit, a low-balance threshold, or both");
            }
            if (!problems.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The wallet's terms were not changed: see the fields.",
                        problems);
            }
            String target = "partner:" + id;
            if (limit != null) {
                try {
                    audit.change(me, "wallet.credit-limit", line(request), target, () -> walletSettings.wallet(id, currency),
                            () -> walletSettings.setCreditLimit(id, currency, limit), after -> after);
                } catch (BillSwitchException e) {
                    throw e.fields().containsKey("creditLimitMinor")
                            ? new BillSwitchException(e.code(), e.getMessage(), Map.of("creditLimit", "must be at least "
                                    + currency.format(owed(walletSettings.wallet(id, currency)))
                                    + " (what the wallet owes now, holds included)"))
                            : e;
                }
            }
            if (threshold != null) {
                audit.change(me, "wallet.low-balance-threshold", line(request), target,
                        () -> walletSettings.wallet(id, currency),
                        () -> walletSettings.setLowBalanceThreshold(id, currency, threshold), after -> after);
            }
            Ledger.WalletBalance now = walletSettings.wallet(id, currency);
            redirect.addFlashAttribute("notice", currency + " wallet: credit limit " + currency.format(now.creditLimitMinor())
                    + ", low-balance threshold " + (now.lowBalanceThresholdMinor() == 0 ? "none"
                    : currency.format(now.lowBalanceThresholdMinor())) + ".");
            return "redirect:/console/partners/" + id + "?currency=" + currency;
        } catch (BillSwitchException e) {
            return refusedOn(id, e, form, "", response, model);
        }
    }

    /** What a wallet owes (its debits, holds included, beyond its credits). */
    private static long owed(Ledger.WalletBalance b) {
        return b.heldMinor() - b.balanceMinor();
    }

    /** An amount in major units (0 allowed), or null when blank; a problem recorded when it is not one. */
    private static Long minorOrNull(String text, Currency currency, String field, Map<String, String> problems) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        Money m = Money.parseMajor(t, currency);
        if (m == null) {
            problems.put(field, "must be an amount in " + currency + " with at most " + currency.minorDigits()
                    + " decimals, e.g. " + currency.format(50_000) + " (0 or more)");
            return null;
        }
        return m.amountMinor();
    }

    @PostMapping("/{id}/suspend")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String suspend(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id, HttpServletRequest request,
                          RedirectAttributes redirect) {
        return status(me, id, Partner.Status.SUSPENDED, "partner.suspend", request, redirect);
    }

    @PostMapping("/{id}/reactivate")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String reactivate(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id,
                             HttpServletRequest request, RedirectAttributes redirect) {
        return status(me, id, Partner.Status.ACTIVE, "partner.reactivate", request, redirect);
    }

    private String status(AdminIdentity me, String id, Partner.Status status, String action, HttpServletRequest request,
                          RedirectAttributes redirect) {
        Partner p = audit.change(me, action, line(request), "partner:" + id, () -> partners.require(id),
                () -> partners.setStatus(id, status), after -> after);
        redirect.addFlashAttribute("notice", "Partner " + p.id() + " is " + p.status() + ".");
        return "redirect:/console/partners/" + id;
    }

    /** Sets (or, empty, clears) the callback URL; a new webhook signing secret is shown once. */
    @PostMapping("/{id}/callback-url")
    @PreAuthorize("hasRole('ADMIN')")
    public String callbackUrl(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id,
                              HttpServletRequest request, HttpServletResponse response,
                              @RequestParam Map<String, String> form, Model model) {
        String url = blankToNull(form.get("callbackUrl"));
        try {
            PartnerService.Webhook webhook = audit.change(me, "partner.webhook", line(request), "partner:" + id,
                    () -> endpoint(partners.require(id).callbackUrl()), () -> partners.configureWebhook(id, url),
                    w -> endpoint(w.callbackUrl()));
            model.addAttribute("partner", partners.require(id));
            model.addAttribute("title", url == null ? "Callback URL cleared" : "Callback URL set");
            model.addAttribute("secrets", secrets("Callback URL", url == null ? "(none)" : url,
                    "Webhook secret", webhook.secret().reveal()));
            return "console/shown-once";
        } catch (BillSwitchException e) {
            return refusedOn(id, e, form, "", response, model);
        }
    }

    /** Replaces the native API secret: the old one stops working; the new one is shown once. */
    @PostMapping("/{id}/rotate-secret")
    @PreAuthorize("hasRole('ADMIN')")
    public String rotate(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id, HttpServletRequest request,
                         Model model) {
        PartnerService.Created rotated = audit.change(me, "partner.rotate-secret", line(request), "partner:" + id,
                () -> null, () -> partners.rotateSecret(id), c -> Map.of("apiKey", c.keyId(), "secret", "rotated"));
        model.addAttribute("partner", rotated.partner());
        model.addAttribute("title", "API secret rotated");
        model.addAttribute("secrets", secrets("API key", rotated.keyId(), "API secret", rotated.secret().reveal()));
        return "console/shown-once";
    }

    /** Adds a provider dialect's credential; its secret (given or generated) is shown once. */
    @PostMapping("/{id}/credentials")
    @PreAuthorize("hasRole('ADMIN')")
    public String addCredential(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id,
                                HttpServletRequest request, HttpServletResponse response,
                                @RequestParam Map<String, String> form, Model model) {
        String dialect = form.getOrDefault("dialect", "");
        String keyId = form.getOrDefault("keyId", "").trim();
        try {
            List<String> ips = entries(form.get("ipAllowList"));
            Map<String, Object> attributes = attributes(form.get("attributes"));
            String secret = audit.change(me, "partner.credential.add", line(request), "partner:" + id, () -> null,
                    () -> partners.addDialectCredential(id, dialect, keyId, blankToNull(form.get("secret")), ips,
                            attributes).reveal(),
                    s -> Map.of("dialect", dialect, "keyId", keyId, "ipAllowList", ips, "attributes", attributes));
            model.addAttribute("partner", partners.require(id));
            model.addAttribute("title", dialect + " credential added");
            model.addAttribute("secrets", secrets("Key id", keyId, "Secret", secret));
            return "console/shown-once";
        } catch (BillSwitchException e) {
            if (e.code() == ErrorCode.PARTNER_EXISTS) {
                e = invalid("keyId", e.getMessage());
            }
            return refusedOn(id, e, form, "new.", response, model);
        }
    }

    /** Replaces a credential's IP allow-list (a native credential's is the partner's own). */
    @PostMapping("/{id}/credentials/{keyId}/allow-list")
    @PreAuthorize("hasRole('ADMIN')")
    public String allowList(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id, @PathVariable String keyId,
                            HttpServletRequest request, HttpServletResponse response,
                            @RequestParam Map<String, String> form, Model model, RedirectAttributes redirect) {
        try {
            List<String> ips = entries(form.get("ipAllowList"));
            List<String> before = partners.credentials(id).stream().filter(c -> c.keyId().equals(keyId))
                    .map(PartnerService.CredentialInfo::ipAllowList).findFirst().orElse(null);
            List<String> now = audit.change(me, "partner.credential.allow-list", line(request),
                    "partner:" + id + ":credential:" + keyId, () -> before == null ? null : Map.of("ipAllowList", before),
                    () -> partners.setAllowList(id, keyId, ips), l -> Map.of("ipAllowList", l));
            redirect.addFlashAttribute("notice", "The allow-list of " + keyId + " is now "
                    + (now.isEmpty() ? "empty (any address, signed requests only)" : String.join(", ", now)) + ".");
            return "redirect:/console/partners/" + id;
        } catch (BillSwitchException e) {
            return refusedOn(id, e, form, keyId + ".", response, model);
        }
    }

    /** Sets the partner's request limits; a blank field keeps the default, 0 turns that limit off. */
    @PostMapping("/{id}/limits")
    @PreAuthorize("hasRole('ADMIN')")
    public String setLimits(@AuthenticationPrincipal AdminIdentity me, @PathVariable String id,
                            HttpServletRequest request, HttpServletResponse response,
                            @RequestParam Map<String, String> form, Model model, RedirectAttributes redirect) {
        try {
            partners.require(id);
            Map<String, String> problems = new LinkedHashMap<>();
            PartnerLimits.Overrides override = new PartnerLimits.Overrides(limit(form, "requestsPerSecond", problems),
                    limit(form, "burst", problems), limit(form, "maxInFlight", problems));
            if (!problems.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The limits were not changed: see the fields.", problems);
            }
            audit.change(me, "partner.limits", line(request), "partner:" + id, () -> limits.override(id),
                    () -> limits.set(id, override), l -> override);
            redirect.addFlashAttribute("notice", "Limits saved.");
            return "redirect:/console/partners/" + id;
        } catch (BillSwitchException e) {
            return refusedOn(id, e, form, "", response, model);
        }
    }

    private static Integer limit(Map<String, String> form, String field, Map<String, String> problems) {
        String text = form.getOrDefault(field, "").trim();
        if (text.isEmpty()) {
            return null;
        }
        if (!text.matches("^[0-9]{1,9}$")) {
            problems.put(field, "must be a whole number, 0 or more (blank: the default)");
            return null;
        }
        return Integer.parseInt(text);
    }

    private Map<String, Object> attributes(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = json.readValue(text, new TypeReference<Map<String, Object>>() { });
            Object flag = parsed.get("requireRequestHash");
            if (flag != null && !(flag instanceof Boolean)) {
                throw invalid("attributes", "requireRequestHash must be true or false");
            }
            return parsed;
        } catch (tools.jackson.core.JacksonException e) {
            throw invalid("attributes", "must be a JSON object, e.g. {\"initiatorId\": \"9962981729\"}");
        }
    }

    /** An allow-list as typed: entries separated by commas, spaces or new lines. */
    private static List<String> entries(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> entries = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        if (entries.size() > 100) {
            throw invalid("ipAllowList", "at most 100 entries");
        }
        return entries;
    }

    private static BillSwitchException invalid(String field, String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, message, Map.of(field, message));
    }

    private static Map<String, Object> endpoint(String callbackUrl) {
        Map<String, Object> m = new HashMap<>();
        m.put("callbackUrl", callbackUrl);
        return m;
    }

    private static Map<String, String> secrets(String... labelsAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            m.put(labelsAndValues[i], labelsAndValues[i + 1]);
        }
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The audit log's request: "console POST /console/partners/P1/suspend". */
    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
