package billswitch.api.dialect.eko;

import billswitch.api.RequestLimits;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Eko's authentication: headers developer_key, secret-key and secret-key-timestamp (Unix ms, within the
 * configured tolerance) on every call; request_hash on money-moving calls, verified when present and
 * required when the credential says so (attribute requireRequestHash). The initiator_id and user_code a
 * request names must be the partner's.
 */
@Component
class EkoAuth {
    private final PartnerService partners;
    private final RequestLimits limits;
    private final Clock clock;
    private final long toleranceMillis;

    EkoAuth(PartnerService partners, RequestLimits limits, Clock clock, BillSwitchProperties props) {
        this.partners = partners;
        this.limits = limits;
        this.clock = clock;
        this.toleranceMillis = props.api().timestampTolerance().toMillis();
    }

    PartnerService.Credential authenticate(HttpServletRequest request) {
        String developerKey = request.getHeader("developer_key");
        String secretKey = request.getHeader("secret-key");
        String timestamp = request.getHeader("secret-key-timestamp");
        if (developerKey == null || secretKey == null || timestamp == null) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS,
                    "developer_key, secret-key and secret-key-timestamp headers are required.");
        }
        PartnerService.Credential credential = partners.credential(developerKey, PartnerService.EKO)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_API_KEY, "Invalid developer_key."));
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "secret-key-timestamp must be Unix milliseconds.");
        }
        if (Math.abs(clock.millis() - sentAt) > toleranceMillis) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "secret-key-timestamp is outside the allowed window.");
        }
        String expected = EkoSignatures.secretKey(credential.secret().reveal(), timestamp);
        if (!constantTimeEquals(expected, secretKey)) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "Invalid secret-key.");
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

    /** request_hash over timestamp + utility_acc_no + amount + user_code, exactly as sent. */
    void checkRequestHash(PartnerService.Credential credential, HttpServletRequest request, String account,
                          String amount, String userCode) {
        String presented = request.getHeader("request_hash");
        if (presented == null) {
            if (Boolean.parseBoolean(credential.attribute("requireRequestHash"))) {
                throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS, "request_hash header is required.");
            }
            return;
        }
        String expected = EkoSignatures.requestHash(credential.secret().reveal(), request.getHeader("secret-key-timestamp"),
                account, amount, userCode);
        if (!constantTimeEquals(expected, presented)) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "Invalid request_hash.");
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
