package billswitch.api.dialect.aopay;

import billswitch.api.dialect.RefusedCallers;
import billswitch.api.RequestLimits;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * AOPay authentication, which AOPay does not publish. Per partner, either
 * (a) the request comes from an address on the AOPay credential's allow-list and names its RegistrationID, or
 * (b) header X-AOPay-Signature = base64(HMAC-SHA256(AOPay secret, raw body)): code 5 when the header is
 * not base64, 20 when it does not match.
 * <p>
 * An unknown RegistrationID is answered exactly as a known one in the same request would be (20 when
 * signed, 22 when not), so the answer does not tell which RegistrationIDs exist; the log says which it was.
 * The body's signature covers no time: what keeps a captured body from paying twice is that every
 * money-moving body names its payment, by its reference or, for a V2 recharge without one, by
 * {@link #bodyReference} — the same body is the same payment, answered again from the idempotency store.
 */
@Component
class AopayAuth {
    static final String SIGNATURE_HEADER = "X-AOPay-Signature";
    /** How a reference derived from the body begins. */
    static final String BODY_REFERENCE_PREFIX = "AOPV2-";
    /** Bytes of the body's signature a derived reference keeps: 192 bits, 48 hex digits. */
    private static final int BODY_REFERENCE_BYTES = 24;
    private static final Logger log = LoggerFactory.getLogger(AopayAuth.class);

    private final PartnerService partners;
    private final RequestLimits limits;

    AopayAuth(PartnerService partners, RequestLimits limits) {
        this.partners = partners;
        this.limits = limits;
    }

    PartnerService.Credential authenticate(HttpServletRequest request, byte[] body, String registrationId) {
        if (registrationId == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "RegistrationID is required.");
        }
        String signature = request.getHeader(SIGNATURE_HEADER);
        byte[] presented = signature == null ? null : decode(signature);
        Optional<PartnerService.Credential> found = partners.credential(registrationId, PartnerService.AOPAY);
        if (found.isEmpty()) {
            RefusedCallers.log(log, "AOPay", "unknown RegistrationID", registrationId, request.getRemoteAddr());
            throw presented != null ? signatureFailed() : notAllowListed(request);
        }
        PartnerService.Credential credential = found.get();
        if (presented != null) {
            if (!Hmac.equal(presented, bodySignature(credential, body))) {
                RefusedCallers.log(log, "AOPay", "signature does not match", registrationId, request.getRemoteAddr());
                throw signatureFailed();
            }
        } else if (!credential.credentialAdmits(request.getRemoteAddr())) {
            RefusedCallers.log(log, "AOPay", "unsigned, from an address off the allow-list", registrationId,
                    request.getRemoteAddr());
            throw notAllowListed(request);
        }
        if (!credential.partner().active()) {
            throw new BillSwitchException(ErrorCode.PARTNER_SUSPENDED);
        }
        return limits.admit(request, credential);
    }

    /**
     * The reference of a money-moving body that names none: "AOPV2-" and the first 48 hex digits of the
     * body's signature (HMAC-SHA256 under the partner's AOPay secret, whether or not the body was sent
     * signed). The same bytes are the same payment; a client can compute it to ask for the status.
     */
    static String bodyReference(PartnerService.Credential credential, byte[] body) {
        return BODY_REFERENCE_PREFIX + HexFormat.of().formatHex(bodySignature(credential, body), 0, BODY_REFERENCE_BYTES);
    }

    private static byte[] bodySignature(PartnerService.Credential credential, byte[] body) {
        return Hmac.sha256(credential.secret().reveal().getBytes(StandardCharsets.UTF_8), body == null ? new byte[0] : body);
    }

    private static byte[] decode(String signature) {
        try {
            return Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_SIGNATURE);
        }
    }

    private static BillSwitchException signatureFailed() {
        return new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
    }

    private static BillSwitchException notAllowListed(HttpServletRequest request) {
        return new BillSwitchException(ErrorCode.IP_NOT_ALLOWED, "Requests from " + request.getRemoteAddr()
                + " must carry " + SIGNATURE_HEADER + ": the address is not on the AOPay allow-list.");
    }
}
