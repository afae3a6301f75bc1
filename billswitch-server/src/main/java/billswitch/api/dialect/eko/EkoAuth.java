package billswitch.api.dialect.eko;

import billswitch.api.dialect.HeaderAuthentication;
import billswitch.api.dialect.RefusedCallers;
import billswitch.infra.http.ReplayGuard;
import billswitch.api.RequestLimits;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Eko's authentication: headers developer_key, secret-key and secret-key-timestamp (Unix ms, at most
 * {@code billswitch.api.timestamp-tolerance} old and {@code billswitch.api.eko-future-tolerance} ahead) on every
 * call; request_hash on money-moving calls, required unless the credential's attribute requireRequestHash is false
 * and the credential has an IP allow-list (the v3 SDKs send none), always verified and remembered when present. A verified (secret-key-timestamp, request_hash) pair pays once:
 * it is remembered on every node ({@link ReplayGuard}) while its timestamp passes, so a captured pair cannot pay
 * again, while two payments signed in the same millisecond (different accounts or amounts, so different hashes)
 * both pass. The initiator_id and user_code a request names must be the partner's.
 */
@Component
class EkoAuth implements HeaderAuthentication {
    /** The one answer to an unknown developer_key and to a secret-key that does not match it. */
    static final String BAD_KEY = "Invalid developer_key or secret-key.";
    private static final Logger log = LoggerFactory.getLogger(EkoAuth.class);

    private final PartnerService partners;
    private final ReplayGuard replays;
    private final RequestLimits limits;
    private final Clock clock;
    private final long toleranceMillis;
    private final long futureToleranceMillis;

    EkoAuth(PartnerService partners, ReplayGuard replays, RequestLimits limits, Clock clock, BillSwitchProperties props) {
        this.partners = partners;
        this.replays = replays;
        this.limits = limits;
        this.clock = clock;
        this.toleranceMillis = props.api().timestampTolerance().toMillis();
        this.futureToleranceMillis = props.api().ekoFutureTolerance().toMillis();
    }

    /** The credential a request was authenticated with, so its controller does not authenticate it again. */
    private static final String AUTHENTICATED = EkoAuth.class.getName() + ".credential";

    @Override
    public boolean serves(String path) {
        return path.startsWith("/ekoapi/");
    }

    /** Before the body is read ({@link billswitch.api.dialect.DialectBodyFilter}): the same checks and answers. */
    @Override
    public void authenticateHeaders(HttpServletRequest request) {
        authenticate(request);
    }

    /** The caller's credential, authenticated from the headers once a request (admitted by its partner's limits). */
    PartnerService.Credential authenticate(HttpServletRequest request) {
        if (request.getAttribute(AUTHENTICATED) instanceof PartnerService.Credential done) {
            return done;
        }
        PartnerService.Credential credential = authenticateOnce(request);
        request.setAttribute(AUTHENTICATED, credential);
        return credential;
    }

    private PartnerService.Credential authenticateOnce(HttpServletRequest request) {
        String developerKey = request.getHeader("developer_key");
        String secretKey = request.getHeader("secret-key");
        String timestamp = request.getHeader("secret-key-timestamp");
        if (developerKey == null || secretKey == null || timestamp == null) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS,
                    "developer_key, secret-key and secret-key-timestamp headers are required.");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "secret-key-timestamp must be Unix milliseconds.");
        }
        long now = clock.millis();
        if (sentAt < now - toleranceMillis || sentAt > now + futureToleranceMillis) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "secret-key-timestamp is outside the allowed window.");
        }
        // An unknown developer_key is answered as a wrong secret-key is (after the same timestamp checks): the
        // answer does not tell which keys exist; the log does.
        PartnerService.Credential credential = partners.credential(developerKey, PartnerService.EKO).orElse(null);
        if (credential == null || !constantTimeEquals(EkoSignatures.secretKey(credential.secret().reveal(), timestamp), secretKey)) {
            RefusedCallers.log(log, "Eko", credential == null ? "unknown developer_key" : "secret-key does not match",
                    developerKey, request.getRemoteAddr());
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, BAD_KEY);
        }
        if (!credential.partner().active()) {
            throw new BillSwitchException(ErrorCode.PARTNER_SUSPENDED);
        }
        if (!credential.ipAllowList().isEmpty() && !credential.credentialAdmits(request.getRemoteAddr())) {
            throw new BillSwitchException(ErrorCode.IP_NOT_ALLOWED);
        }
        return limits.admit(request, credential);
    }

    void checkInitiator(PartnerService.Credential credential, String initiatorId) {
        if (initiatorId == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "initiator_id is required.",
                    Map.of("initiator_id", "is required"));
        }
        if (!initiatorId.equals(credential.attribute("initiatorId"))) {
            throw new BillSwitchException(ErrorCode.INITIATOR_MISMATCH, "Invalid initiator_id.");
        }
    }

    void checkUserCode(PartnerService.Credential credential, String userCode) {
        if (userCode == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "user_code is required.", Map.of("user_code", "is required"));
        }
        if (!credential.attributeList("userCodes").contains(userCode)) {
            throw new BillSwitchException(ErrorCode.UNKNOWN_USER_CODE, "User " + userCode + " is not onboarded.");
        }
    }

    /**
     * request_hash over timestamp + utility_acc_no + amount + user_code, exactly as sent; required unless
     * {@link #mayOmitRequestHash}. A verified hash is used once: the same timestamp and hash
     * again, on any node, is REPLAYED_REQUEST.
     */
    void checkRequestHash(PartnerService.Credential credential, HttpServletRequest request, String account,
                          String amount, String userCode) {
        String presented = request.getHeader("request_hash");
        if (presented == null) {
            if (!mayOmitRequestHash(credential)) {
                throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS, "request_hash header is required.");
            }
            return;
        }
        // Sent, it is checked and its pair remembered whatever the credential says.
        String timestamp = request.getHeader("secret-key-timestamp");
        String expected = EkoSignatures.requestHash(credential.secret().reveal(), timestamp, account, amount, userCode);
        if (!constantTimeEquals(expected, presented)) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "Invalid request_hash.");
        }
        if (!replays.firstUse("eko", credential.keyId(), Base64.getDecoder().decode(expected), Long.parseLong(timestamp))) {
            throw new BillSwitchException(ErrorCode.REPLAYED_REQUEST,
                    "This secret-key-timestamp and request_hash were already used; sign the payment afresh.");
        }
    }

    /**
     * Whether a payment may come without request_hash: only when the credential says {@code requireRequestHash: false}
     * and has an IP allow-list of its own (checked in {@link #authenticate}). Without one, a captured payment with its
     * request_hash removed would pay anything for as long as its secret-key-timestamp passes: such a credential (the
     * admin API refuses to save it) requires the hash.
     */
    static boolean mayOmitRequestHash(PartnerService.Credential credential) {
        return "false".equals(credential.attribute("requireRequestHash")) && !credential.ipAllowList().isEmpty();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
