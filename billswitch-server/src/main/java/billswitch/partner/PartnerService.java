package billswitch.partner;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.crypto.SecretBox;
import billswitch.ledger.Ledger;
import billswitch.ledger.Results;
import billswitch.ledger.TransferCommand;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Partners, their credentials per dialect and their wallets. Secrets are generated here, sealed with
 * the master key, returned once at creation or rotation, and never logged (they travel as {@link Secret}).
 */
@Service
public class PartnerService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PartnerService.class);
    public static final String NATIVE = "NATIVE";
    public static final String AOPAY = "AOPAY";
    public static final String EKO = "EKO";
    public static final String APPOTAPAY = "APPOTAPAY";
    public static final java.util.Set<String> DIALECTS = java.util.Set.of(NATIVE, AOPAY, EKO, APPOTAPAY);
    /** A top-up's reference, which makes it idempotent. */
    public static final Pattern TOP_UP_REFERENCE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    public static final String TOP_UP_REFERENCE_RULE = "must be 1-64 letters, digits, '.', '_', ':' or '-'";
    private static final Pattern PARTNER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$");
    private static final long CACHE_MILLIS = 10_000;
    /** Key ids found unknown are not looked up again for this long (on this node); at most UNKNOWN_MAX of them. */
    private static final long UNKNOWN_MILLIS = 5_000;
    private static final int UNKNOWN_MAX = 10_000;

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };
    /**
     * Each credential's secret, bound to its key id and to what decides whose it is: the partner (whose wallet it
     * spends) and the dialect. A credential row moved to another partner in the database no longer opens.
     */
    static final SecretBox.SealedColumn CREDENTIAL_SECRETS = new SecretBox.SealedColumn("partner_credentials", "key_id",
            "secret_enc", List.of("partner_id", "dialect"));
    /**
     * The secret a rotation with an overlap replaced, still verifying until previous_valid_until (V19): bound like the
     * current one, and to its own column, so a current secret copied there (or a previous one copied back) never opens.
     */
    static final SecretBox.SealedColumn PREVIOUS_CREDENTIAL_SECRETS = new SecretBox.SealedColumn("partner_credentials",
            "key_id", "previous_secret_enc", List.of("partner_id", "dialect"));
    /** The longest overlap a rotation may ask for. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(7);
    /** A credential found not to verify a signature is read again from the database at most this often (per node). */
    private static final long RELOAD_MILLIS = 1_000;
    /**
     * Each partner's webhook signing secret, bound to the partner only, not to its callback URL: the secret authorizes
     * nothing at BillSwitch and never leaves it (deliveries carry an HMAC, not the secret), it only lets the partner
     * tell BillSwitch's deliveries from forged ones. A database writer who repoints callback_url gets that partner's
     * signed events at their host, but those are rows they can already read in the same database, and a signature
     * obtained that way lets them forge nothing new (each delivery is signed over its own body). Binding the URL would
     * stop no theft, and would break a secret set before a URL (the sandbox's, {@link #webhookSecret}).
     */
    static final SecretBox.SealedColumn WEBHOOK_SECRETS = new SecretBox.SealedColumn("partners", "id", "webhook_secret_enc");

    /** The sealed columns of partners' tables, for the master key's rotation. */
    @Bean
    static SecretBox.SealedColumn partnerCredentialSecrets() {
        return CREDENTIAL_SECRETS;
    }

    @Bean
    static SecretBox.SealedColumn partnerPreviousCredentialSecrets() {
        return PREVIOUS_CREDENTIAL_SECRETS;
    }

    @Bean
    static SecretBox.SealedColumn partnerWebhookSecrets() {
        return WEBHOOK_SECRETS;
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final SecretBox box;
    private final Ledger ledger;
    private final Clock clock;
    /** Sandbox mode: callback URLs may be http and on loopback. */
    private final boolean sandbox;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> credentialCache = new ConcurrentHashMap<>();
    /**
     * Key ids no credential has, with when to look again: a stream of made-up key ids costs one query each per
     * {@link #UNKNOWN_MILLIS} instead of one per request. Bounded: when full it is emptied and fills again.
     */
    private final Map<String, Long> unknownKeys = new ConcurrentHashMap<>();

    PartnerService(JdbcClient jdbc, SecretBox box, Ledger ledger, Clock clock, JsonMapper json,
                   BillSwitchProperties props) {
        this.jdbc = jdbc;
        this.sandbox = props.sandbox().enabled();
        this.json = json;
        this.box = box;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * A partner with the credential a request presented, its secret opened for signature checks;
     * ipAllowList and attributes are the credential's own (a dialect's allow-list, Eko's initiator id...).
     */
    public record Credential(Partner partner, String keyId, String dialect, Secret<String> secret,
                             List<String> ipAllowList, Map<String, Object> attributes,
                             Secret<String> previousSecret, Instant previousValidUntil) {

        /** The secret a rotation with an overlap replaced, while it still verifies at {@code now}; else null. */
        public Secret<String> previousSecretAt(Instant now) {
            return previousSecret != null && previousValidUntil != null && now.isBefore(previousValidUntil)
                    ? previousSecret : null;
        }

        public String attribute(String name) {
            Object value = attributes.get(name);
            return value == null ? null : value.toString();
        }

        @SuppressWarnings("unchecked")
        public List<String> attributeList(String name) {
            Object value = attributes.get(name);
            return value instanceof List<?> list ? (List<String>) list : List.of();
        }

        /** The credential's own allow-list admits the address (an empty one admits none). */
        public boolean credentialAdmits(String remoteAddress) {
            return IpAllowList.matches(ipAllowList, remoteAddress);
        }
    }

    public record Created(Partner partner, String keyId, Secret<String> secret) {
    }

    /** A partner's webhook endpoint and the secret its deliveries are signed with. */
    public record Webhook(String callbackUrl, Secret<String> secret) {
    }

    /**
     * A rotation as made: the new secret (shown once), until when the replaced one still verifies (null: not at all),
     * and whether an earlier replaced secret, still in its own window, stopped verifying with it.
     */
    public record Rotated(Partner partner, String keyId, Secret<String> secret, Instant previousValidUntil,
                          boolean earlierPreviousSecretRevoked) {
    }

    private record Cached(Credential credential, long loadedAtMillis, long expiresAtMillis) {
    }

    /** Creates a partner with a native API key, a generated secret and an empty wallet per currency. */
    @Transactional
    public Created create(String id, String name, String callbackUrl, List<String> ipAllowList) {
        String partnerId = id != null ? id : "P" + HexFormat.of().formatHex(randomBytes(6)).toUpperCase();
        String keyId = "bsk_" + HexFormat.of().formatHex(randomBytes(12));
        Secret<String> secret = Secret.of(HexFormat.of().formatHex(randomBytes(24)));
        return createWithCredential(partnerId, name, callbackUrl, ipAllowList, keyId, secret);
    }

    /** Creates a partner with a given native credential (the sandbox's demo partner uses this). */
    @Transactional
    public Created createWithCredential(String id, String name, String callbackUrl, List<String> ipAllowList,
                                        String keyId, Secret<String> secret) {
        if (!PARTNER_ID.matcher(id).matches()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "partner id must be 2-40 letters, digits, '-' or '_'", Map.of("id", "invalid"));
        }
        List<String> allowList = ipAllowList.stream().map(IpAllowList::validate).toList();
        CallbackUrl.validate(callbackUrl, sandbox);
        try {
            jdbc.sql("insert into partners (id, name, status, callback_url, ip_allow_list) values (:id, :name, 'ACTIVE', :cb, :ips)")
                    .param("id", id).param("name", name).param("cb", callbackUrl)
                    .param("ips", allowList.toArray(new String[0])).update();
        } catch (DuplicateKeyException e) {
            throw new BillSwitchException(ErrorCode.PARTNER_EXISTS, "Partner '" + id + "' already exists.");
        }
        addCredential(id, NATIVE, keyId, secret, List.of(), Map.of());
        for (Currency c : Currency.values()) {
            ledger.openWallet(id, c);
        }
        return new Created(find(id).orElseThrow(), keyId, secret);
    }

    /** A new partner's credentials, each shown this once: the native API key and secret, the webhook signing secret. */
    public record Onboarded(Created created, Webhook webhook) {
    }

    /**
     * Onboards a partner (the admin API's POST /admin/partners and the console's form): the partner with its native
     * credential and wallets ({@link #create}), then its webhook endpoint and signing secret ({@link #configureWebhook}).
     */
    @Transactional
    public Onboarded onboard(String id, String name, String callbackUrl, List<String> ipAllowList) {
        if (name == null || name.isBlank()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "name must not be empty",
                    Map.of("name", "must not be empty"));
        }
        Created created = create(id, name.trim(), callbackUrl, ipAllowList);
        return new Onboarded(created, configureWebhook(created.partner().id(), callbackUrl));
    }

    /**
     * Adds a provider dialect's credential with the given secret, or a generated one when it is null (answered, to
     * be shown once). Eko's {@code requireRequestHash: false} needs the credential's own allow-list: without the
     * request hash, the allow-list is what keeps a captured payment from paying again.
     */
    @Transactional
    public Secret<String> addDialectCredential(String partnerId, String dialect, String keyId, String secret,
                                               List<String> ipAllowList, Map<String, Object> attributes) {
        require(partnerId);
        if (keyId == null || keyId.isBlank() || keyId.length() > 100) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "keyId must be 1-100 characters",
                    Map.of("keyId", "must be 1-100 characters"));
        }
        if (EKO.equals(dialect) && Boolean.FALSE.equals(attributes.get("requireRequestHash")) && ipAllowList.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, NO_HASH_NEEDS_ALLOW_LIST,
                    Map.of("ipAllowList", NO_HASH_NEEDS_ALLOW_LIST));
        }
        Secret<String> actual = Secret.of(secret != null && !secret.isEmpty() ? secret : HexFormat.of().formatHex(randomBytes(24)));
        addCredential(partnerId, dialect, keyId, actual, ipAllowList, attributes);
        return actual;
    }

    public static final String NO_HASH_NEEDS_ALLOW_LIST = "requireRequestHash false needs the Eko credential's own "
            + "ipAllowList (not empty): without request_hash, the allow-list is what keeps a captured payment from paying again";

    /** A credential as listed: never its secret. */
    public record CredentialInfo(String keyId, String dialect, List<String> ipAllowList, Map<String, Object> attributes,
                                 java.time.Instant createdAt, java.time.Instant rotatedAt) {
    }

    /**
     * The partner's credentials, native first. A native credential's allow-list is the partner's own (the native API
     * checks that one); a dialect credential's is its own.
     */
    public List<CredentialInfo> credentials(String partnerId) {
        return jdbc.sql("""
                select c.key_id, c.dialect, case when c.dialect = 'NATIVE' then p.ip_allow_list else c.ip_allow_list end,
                       c.attributes::text, c.created_at, c.rotated_at
                from partner_credentials c join partners p on p.id = c.partner_id where c.partner_id = :partner
                order by c.dialect <> 'NATIVE', c.dialect, c.key_id""")
                .param("partner", partnerId)
                .query((rs, n) -> new CredentialInfo(rs.getString(1), rs.getString(2), textArray(rs.getArray(3)),
                        json.readValue(rs.getString(4), ATTRIBUTES), rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .list();
    }

    /**
     * Replaces a credential's IP allow-list (a native credential's: the partner's, which the native API checks).
     * Refused, INVALID_REQUEST, for an entry that is no address or block, and for an Eko credential without
     * request hashes left without one. Other nodes see it within their cache's ten seconds.
     */
    @Transactional
    public List<String> setAllowList(String partnerId, String keyId, List<String> ipAllowList) {
        CredentialInfo credential = credentials(partnerId).stream().filter(c -> c.keyId().equals(keyId)).findFirst()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND,
                        "Partner '" + partnerId + "' has no credential '" + keyId + "'."));
        List<String> allowList = ipAllowList.stream().map(IpAllowList::validate).toList();
        if (allowList.size() > 100) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "at most 100 entries", Map.of("ipAllowList", "at most 100 entries"));
        }
        if (EKO.equals(credential.dialect()) && allowList.isEmpty()
                && Boolean.FALSE.equals(credential.attributes().get("requireRequestHash"))) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, NO_HASH_NEEDS_ALLOW_LIST,
                    Map.of("ipAllowList", NO_HASH_NEEDS_ALLOW_LIST));
        }
        String[] entries = allowList.toArray(new String[0]);
        if (NATIVE.equals(credential.dialect())) {
            jdbc.sql("update partners set ip_allow_list = :ips, updated_at = now() where id = :id")
                    .param("ips", entries).param("id", partnerId).update();
            credentialCache.values().removeIf(c -> c.credential().partner().id().equals(partnerId));
        } else {
            jdbc.sql("update partner_credentials set ip_allow_list = :ips where key_id = :key and partner_id = :partner")
                    .param("ips", entries).param("key", keyId).param("partner", partnerId).update();
        }
        credentialCache.remove(keyId);
        return allowList;
    }

    /** A partner as listed: with each wallet's balance. */
    public record Listed(Partner partner, List<Ledger.WalletBalance> wallets) {
    }

    /** Partners whose id or name contains the text (any case; all when it is blank), by id, at most {@code limit}. */
    public List<Listed> search(String text, int limit) {
        String q = text == null || text.isBlank() ? null : text.trim().toLowerCase(java.util.Locale.ROOT);
        List<Partner> found = jdbc.sql("""
                select id, name, status, callback_url, ip_allow_list from partners
                where cast(:q as text) is null or strpos(lower(id), :q) > 0 or strpos(lower(name), :q) > 0
                order by id limit :limit""")
                .param("q", q, java.sql.Types.VARCHAR).param("limit", limit).query(PartnerService::partner).list();
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, List<Ledger.WalletBalance>> wallets = new java.util.HashMap<>();
        jdbc.sql("""
                select partner_id, currency, credits_posted - debits_posted, debits_pending, credit_limit_minor,
                       low_balance_threshold_minor from accounts
                where kind = 'WALLET' and partner_id = any(:ids) order by currency""")
                .param("ids", found.stream().map(Partner::id).toArray(String[]::new))
                .query((rs, n) -> wallets.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>())
                        .add(Ledger.walletBalance(Currency.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6))))
                .list();
        return found.stream().map(p -> new Listed(p, wallets.getOrDefault(p.id(), List.of()))).toList();
    }

    /** Adds a credential for a dialect (AOPay, Eko, AppotaPay keys come the same way). */
    @Transactional
    public void addCredential(String partnerId, String dialect, String keyId, Secret<String> secret,
                              List<String> ipAllowList, Map<String, Object> attributes) {
        if (!DIALECTS.contains(dialect)) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "dialect must be one of " + DIALECTS,
                    Map.of("dialect", "unknown"));
        }
        List<String> allowList = ipAllowList.stream().map(IpAllowList::validate).toList();
        try {
            jdbc.sql("""
                    insert into partner_credentials (key_id, partner_id, dialect, secret_enc, ip_allow_list, attributes)
                    values (:key, :partner, :dialect, :secret, :ips, :attributes::jsonb)""")
                    .param("key", keyId).param("partner", partnerId).param("dialect", dialect)
                    .param("secret", box.seal(secret, CREDENTIAL_SECRETS.at(keyId, partnerId, dialect))).param("ips", allowList.toArray(new String[0]))
                    .param("attributes", json.writeValueAsString(attributes)).update();
        } catch (DuplicateKeyException e) {
            throw new BillSwitchException(ErrorCode.PARTNER_EXISTS, "That key id or dialect credential already exists.");
        }
        unknownKeys.remove(keyId);
    }

    /**
     * Sets attributes of one of the partner's credentials (Eko's requireRequestHash...), keeping the others; answers
     * the attributes as they are now. Other nodes see the change within their cache's ten seconds.
     */
    @Transactional
    public Map<String, Object> updateAttributes(String partnerId, String keyId, Map<String, Object> changes) {
        Map<String, Object> now = jdbc.sql("""
                update partner_credentials set attributes = attributes || :changes::jsonb
                where partner_id = :partner and key_id = :key returning attributes""")
                .param("changes", json.writeValueAsString(changes)).param("partner", partnerId).param("key", keyId)
                .query((rs, n) -> json.readValue(rs.getString(1), ATTRIBUTES)).optional()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND,
                        "Partner '" + partnerId + "' has no credential '" + keyId + "'."));
        credentialCache.remove(keyId);
        return now;
    }

    /**
     * Sets (or clears, with null) the partner's callback URL and issues a fresh webhook signing secret,
     * returned once. The URL must pass {@link CallbackUrl}'s checks (INVALID_REQUEST otherwise).
     */
    @Transactional
    public Webhook configureWebhook(String partnerId, String callbackUrl) {
        require(partnerId);
        CallbackUrl.validate(callbackUrl, sandbox);
        Secret<String> secret = Secret.of("whsec_" + HexFormat.of().formatHex(randomBytes(24)));
        jdbc.sql("update partners set callback_url = :url, webhook_secret_enc = :secret, updated_at = now() where id = :id")
                .param("url", callbackUrl).param("secret", box.seal(secret, WEBHOOK_SECRETS.at(partnerId))).param("id", partnerId)
                .update();
        return new Webhook(callbackUrl, secret);
    }

    /**
     * The partner's own change of its callback URL (null clears it): the same checks as {@link #configureWebhook},
     * but the webhook signing secret the partner verifies deliveries with is kept; only a partner that has none gets
     * one, returned here once (the answer's secret is null otherwise).
     */
    @Transactional
    public Webhook setCallbackUrl(String partnerId, String callbackUrl) {
        CallbackUrl.validate(callbackUrl, sandbox);
        boolean hasSecret = jdbc.sql("select webhook_secret_enc is not null from partners where id = :id for update")
                .param("id", partnerId).query(Boolean.class).optional()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND, "No partner '" + partnerId + "'."));
        Secret<String> issued = null;
        if (!hasSecret) {
            issued = Secret.of("whsec_" + HexFormat.of().formatHex(randomBytes(24)));
            setWebhookSecret(partnerId, issued);
        }
        jdbc.sql("update partners set callback_url = :url, updated_at = now() where id = :id")
                .param("url", callbackUrl, java.sql.Types.VARCHAR).param("id", partnerId).update();
        credentialCache.values().removeIf(c -> c.credential().partner().id().equals(partnerId));
        return new Webhook(callbackUrl, issued);
    }

    /** Sets a known webhook secret (the sandbox demo partner's). */
    @Transactional
    public void setWebhookSecret(String partnerId, Secret<String> secret) {
        jdbc.sql("update partners set webhook_secret_enc = :secret where id = :id")
                .param("secret", box.seal(secret, WEBHOOK_SECRETS.at(partnerId))).param("id", partnerId).update();
    }

    /** The secret the partner's webhooks are signed with now, callback URL or not; empty if none was ever set. */
    public Optional<Secret<String>> webhookSecret(String partnerId) {
        return jdbc.sql("select webhook_secret_enc from partners where id = :id and webhook_secret_enc is not null")
                .param("id", partnerId).query((rs, n) -> box.open(rs.getString(1), WEBHOOK_SECRETS.at(partnerId))).optional();
    }

    /** Where and with which secret to deliver the partner's webhooks; empty without a callback URL. */
    public Optional<Webhook> webhook(String partnerId) {
        return jdbc.sql("select callback_url, webhook_secret_enc from partners where id = :id and callback_url is not null")
                .param("id", partnerId)
                .query((rs, n) -> new Webhook(rs.getString(1),
                        rs.getString(2) == null ? null : box.open(rs.getString(2), WEBHOOK_SECRETS.at(partnerId))))
                .optional().filter(w -> w.secret() != null);
    }

    /** Replaces the native secret; the old one stops working at once on this node (on others within ten seconds). */
    @Transactional
    public Created rotateSecret(String partnerId) {
        Rotated r = rotateSecret(partnerId, Duration.ZERO);
        return new Created(r.partner(), r.keyId(), r.secret());
    }

    /**
     * Replaces the native secret, keeping the replaced one verifying for {@code overlap} (zero: it stops at once).
     * Only one replaced secret is kept: rotating again inside a window replaces the current secret, and the one
     * replaced before stops at once. On this node at once; other nodes read the credential again within ten
     * seconds, and at once when a signature does not verify with what they hold ({@link #reloaded}).
     */
    @Transactional
    public Rotated rotateSecret(String partnerId, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The overlap must be between 0 and "
                    + MAX_OVERLAP.toSeconds() + " seconds.", Map.of("overlapSeconds", "out of range"));
        }
        Partner partner = require(partnerId);
        Instant now = clock.instant();
        record Current(String keyId, String sealed, Instant previousValidUntil) {
        }
        Current current = jdbc.sql("""
                select key_id, secret_enc, previous_valid_until from partner_credentials
                where partner_id = :partner and dialect = :dialect for update""")
                .param("partner", partnerId).param("dialect", NATIVE)
                .query((rs, n) -> new Current(rs.getString(1), rs.getString(2), instant(rs, 3))).single();
        String keyId = current.keyId();
        boolean earlierRevoked = current.previousValidUntil() != null && now.isBefore(current.previousValidUntil());
        Secret<String> secret = Secret.of(HexFormat.of().formatHex(randomBytes(24)));
        String previousSealed = null;
        Instant validUntil = null;
        if (overlap.isPositive()) {
            Secret<String> replaced = box.open(current.sealed(), CREDENTIAL_SECRETS.at(keyId, partnerId, NATIVE));
            previousSealed = box.seal(replaced, PREVIOUS_CREDENTIAL_SECRETS.at(keyId, partnerId, NATIVE));
            validUntil = now.plus(overlap);
        }
        jdbc.sql("""
                update partner_credentials set secret_enc = :secret, previous_secret_enc = :previous,
                       previous_valid_until = :until, rotated_at = now() where key_id = :key""")
                .param("secret", box.seal(secret, CREDENTIAL_SECRETS.at(keyId, partnerId, NATIVE)))
                .param("previous", previousSealed, java.sql.Types.VARCHAR)
                .param("until", validUntil == null ? null : validUntil.atOffset(ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("key", keyId).update();
        credentialCache.remove(keyId);
        return new Rotated(partner, keyId, secret, validUntil, earlierRevoked);
    }

    /**
     * The credential read again from the database, for a signature that did not verify with the cached one (the
     * secret may have been rotated on another node); empty when it was read less than a second ago (a stream of
     * wrong signatures costs at most one query a second per key and node) or no longer exists.
     */
    public Optional<Credential> reloaded(String keyId) {
        Cached cached = credentialCache.get(keyId);
        if (cached != null && clock.millis() - cached.loadedAtMillis() < RELOAD_MILLIS) {
            return Optional.empty();
        }
        credentialCache.remove(keyId);
        return credential(keyId);
    }

    @Transactional
    public Partner setStatus(String partnerId, Partner.Status status) {
        int n = jdbc.sql("update partners set status = :status, updated_at = now() where id = :id")
                .param("status", status.name()).param("id", partnerId).update();
        if (n == 0) {
            throw new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND, "No partner '" + partnerId + "'.");
        }
        credentialCache.values().removeIf(c -> c.credential().partner().id().equals(partnerId));
        return require(partnerId);
    }

    public Optional<Partner> find(String partnerId) {
        return jdbc.sql("select id, name, status, callback_url, ip_allow_list from partners where id = :id")
                .param("id", partnerId).query(PartnerService::partner).optional();
    }

    public Partner require(String partnerId) {
        return find(partnerId).orElseThrow(() ->
                new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND, "No partner '" + partnerId + "'."));
    }

    /** The credential with this key id for this dialect. */
    public Optional<Credential> credential(String keyId, String dialect) {
        return keyId == null ? Optional.empty() : credential(keyId).filter(c -> c.dialect().equals(dialect));
    }

    /** The credential with this key id, cached for at most ten seconds (an unknown key id for five). */
    public Optional<Credential> credential(String keyId) {
        long now = clock.millis();
        Cached cached = credentialCache.get(keyId);
        if (cached != null && cached.expiresAtMillis() > now) {
            return Optional.of(cached.credential());
        }
        Long unknownUntil = unknownKeys.get(keyId);
        if (unknownUntil != null && unknownUntil > now) {
            return Optional.empty();
        }
        Optional<Credential> loaded = jdbc.sql("""
                select p.id, p.name, p.status, p.callback_url, p.ip_allow_list, c.key_id, c.dialect, c.secret_enc,
                       c.ip_allow_list, c.attributes, c.previous_secret_enc, c.previous_valid_until
                from partner_credentials c join partners p on p.id = c.partner_id where c.key_id = :key""")
                .param("key", keyId)
                .query((rs, n) -> {
                    Secret<String> secret = openCredential(rs.getString(8), CREDENTIAL_SECRETS, rs.getString(6),
                            rs.getString(1), rs.getString(7));
                    Instant previousUntil = instant(rs, 12);
                    Secret<String> previous = rs.getString(11) == null || previousUntil == null
                            || !clock.instant().isBefore(previousUntil) ? null
                            : openCredential(rs.getString(11), PREVIOUS_CREDENTIAL_SECRETS, rs.getString(6),
                                    rs.getString(1), rs.getString(7));
                    return secret == null ? null : new Credential(partner(rs, n), rs.getString(6), rs.getString(7), secret,
                            textArray(rs.getArray(9)), json.readValue(rs.getString(10), ATTRIBUTES),
                            previous, previous == null ? null : previousUntil);
                })
                .list().stream().filter(java.util.Objects::nonNull).findFirst();
        loaded.ifPresentOrElse(c -> {
            credentialCache.put(keyId, new Cached(c, now, now + CACHE_MILLIS));
            unknownKeys.remove(keyId);
        }, () -> {
            credentialCache.remove(keyId);
            if (unknownKeys.size() >= UNKNOWN_MAX) {
                unknownKeys.clear();
            }
            unknownKeys.put(keyId, now + UNKNOWN_MILLIS);
        });
        return loaded;
    }

    /**
     * A credential's secret, or null when it does not open (sealed for another row, partner or dialect, altered, of
     * an earlier form while those are refused, or under a master key not configured): the credential is then refused
     * as an unknown one, never used, and the cause logged.
     */
    private Secret<String> openCredential(String sealed, SecretBox.SealedColumn column, String keyId, String partnerId,
                                          String dialect) {
        try {
            return box.open(sealed, column.at(keyId, partnerId, dialect));
        } catch (IllegalStateException e) {
            log.error("Credential {} is refused: {}", keyId, e.getMessage());
            return null;
        }
    }

    /** A top-up as made: its transfer and the wallet's available balance around it; replayed if made before. */
    public record TopUp(long transferId, long amountMinor, long openingMinor, long closingMinor, boolean replayed) {
    }

    /**
     * Credits a wallet from the funding account (an admin top-up), idempotent on the reference: the same
     * reference and amount answer the top-up made before; the same reference with another amount is refused.
     */
    public TopUp topUp(String partnerId, Currency currency, long amountMinor, String reference) {
        require(partnerId);
        long wallet = ledger.walletId(partnerId, currency);
        Results r = ledger.execute(List.of(new TransferCommand.TopUp(wallet, currency, amountMinor, reference)));
        return switch (r.result(0)) {
            case OK -> new TopUp(r.transferId(0), amountMinor, r.openingMinor(0), r.closingMinor(0), false);
            case EXISTS -> new TopUp(r.transferId(0), amountMinor, r.openingMinor(0), r.closingMinor(0), true);
            case EXISTS_WITH_DIFFERENT_AMOUNT -> throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "Top-up reference '" + reference + "' was already used for a different amount.");
            case EXCEEDS_AVAILABLE -> throw new IllegalStateException("a top-up takes nothing from the wallet");
        };
    }

    public long walletId(String partnerId, Currency currency) {
        return ledger.walletId(partnerId, currency);
    }

    private static Partner partner(ResultSet rs, int row) throws SQLException {
        return new Partner(rs.getString(1), rs.getString(2), Partner.Status.valueOf(rs.getString(3)),
                rs.getString(4), textArray(rs.getArray(5)));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> textArray(Array array) throws SQLException {
        return array == null ? List.of() : List.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
