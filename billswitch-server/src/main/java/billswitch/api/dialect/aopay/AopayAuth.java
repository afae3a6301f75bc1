package billswitch.api.dialect.aopay;

import billswitch.api.RequestLimits;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * AOPay authentication, which AOPay does not publish. Per partner, either
 * (a) the request comes from an address on the AOPay credential's allow-list and names its RegistrationID, or
 * (b) header X-AOPay-Signature = base64(HMAC-SHA256(AOPay secret, raw body)): code 5 when the header is
 * not base64, 20 when it does not match.
 */
@Component
class AopayAuth {
    static final String SIGNATURE_HEADER = "X-AOPay-Signature";

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
        PartnerService.Credential credential = partners.credential(registrationId, PartnerService.AOPAY)
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_API_KEY, "Invalid RegistrationID"));
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (signature != null) {
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(signature.trim());
            } catch (IllegalArgumentException e) {
                throw new BillSwitchException(ErrorCode.MALFORMED_SIGNATURE);
            }
            byte[] expected = Hmac.sha256(credential.secret().reveal().getBytes(StandardCharsets.UTF_8),
                    body == null ? new byte[0] : body);
            if (!Hmac.equal(presented, expected)) {
                throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
            }
        } else if (!credential.credentialAdmits(request.getRemoteAddr())) {
            throw new BillSwitchException(ErrorCode.IP_NOT_ALLOWED, "Requests from " + request.getRemoteAddr()
                    + " must carry " + SIGNATURE_HEADER + ": the address is not on the AOPay allow-list.");
        }
        if (!credential.partner().active()) {
            throw new BillSwitchException(ErrorCode.PARTNER_SUSPENDED);
        }
        return limits.admit(request, credential);
    }
}
