package billswitch.api.dialect.appotapay;

import billswitch.api.dialect.HeaderAuthentication;
import billswitch.api.dialect.RefusedCallers;
import billswitch.api.RequestLimits;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies X-APPOTAPAY-AUTH ("Bearer <JWT>", or the bare JWT as some clients send it): HS256 with the
 * partner's secret key, alg pinned to HS256, iss = the partner code, api_key = a known key (an unknown one
 * is answered as a wrong signature, errorCode 2), exp present,
 * in the future and at most an hour ahead. cty is not required and a reused jti is accepted (clients build
 * it from the current second); money-moving calls rely on partnerRefId idempotency and the field signature.
 * Then the credential's allow-list (empty admits any address) and the partner's status.
 */
@Component
class AppotaAuth implements HeaderAuthentication {
    static final String HEADER = "X-APPOTAPAY-AUTH";
    /** The one answer to an unknown api_key and to a token signature that does not match it. */
    static final String BAD_TOKEN = "The token signature does not match.";
    private static final Logger log = LoggerFactory.getLogger(AppotaAuth.class);
    /** The furthest exp may lie ahead; AppotaPay's public clients sign now + 3000 s. */
    static final long MAX_LIFETIME_SECONDS = 3600;

    private final PartnerService partners;
    private final RequestLimits limits;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    AppotaAuth(PartnerService partners, RequestLimits limits, Clock clock) {
        this.partners = partners;
        this.limits = limits;
        this.clock = clock;
    }

    /** The credential a request was authenticated with, so its controller does not authenticate it again. */
    private static final String AUTHENTICATED = AppotaAuth.class.getName() + ".credential";

    @Override
    public boolean serves(String path) {
        return path.startsWith("/api/v1/service/") || path.startsWith("/api/v2/service/");
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
        String header = request.getHeader(HEADER);
        if (header == null || header.isBlank()) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS, "X-APPOTAPAY-AUTH header is missing.");
        }
        String token = header.trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token is not a JWT.");
        }
        JsonNode head = decode(parts[0]);
        JsonNode payload = decode(parts[1]);
        if (!"HS256".equals(text(head, "alg"))) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token must be signed with HS256.");
        }
        String apiKey = text(payload, "api_key");
        if (apiKey == null) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS, "The token must carry api_key.");
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token signature is not base64url.");
        }
        // An unknown api_key is answered as a signature that does not match (errorCode 2, not 11): the answer
        // does not tell which keys exist; the log does.
        PartnerService.Credential credential = partners.credential(apiKey, PartnerService.APPOTAPAY).orElse(null);
        if (credential == null || !Hmac.equal(presented,
                AppotaSignatures.jwtSignature(credential.secret().reveal(), parts[0] + "." + parts[1]))) {
            RefusedCallers.log(log, "AppotaPay", credential == null ? "unknown api_key" : "token signature does not match",
                    apiKey, request.getRemoteAddr());
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, BAD_TOKEN);
        }
        if (!java.util.Objects.equals(text(payload, "iss"), credential.attribute("partnerCode"))) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token's iss is not this partner's code.");
        }
        JsonNode exp = payload.get("exp");
        long now = clock.millis() / 1000;
        if (exp == null || !exp.canConvertToLong()) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "The token must carry exp.");
        }
        if (exp.longValue() <= now) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "The token has expired.");
        }
        if (exp.longValue() > now + MAX_LIFETIME_SECONDS) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "The token's exp is more than an hour ahead.");
        }
        if (!credential.partner().active()) {
            throw new BillSwitchException(ErrorCode.PARTNER_SUSPENDED, "The partner is locked.");
        }
        if (!credential.ipAllowList().isEmpty() && !credential.credentialAdmits(request.getRemoteAddr())) {
            throw new BillSwitchException(ErrorCode.IP_NOT_ALLOWED, "IP " + request.getRemoteAddr() + " is not allowed.");
        }
        return limits.admit(request, credential);
    }

    /** Checks the request's parameter signature; INVALID_SIGNATURE unless one of the accepted texts matches. */
    void checkSignature(PartnerService.Credential credential, String presented, java.util.List<Map<String, String>> candidates) {
        if (presented == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "signature is required.", Map.of("signature", "is required"));
        }
        byte[] given = presented.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII);
        for (Map<String, String> fields : candidates) {
            byte[] expected = AppotaSignatures.sign(credential.secret().reveal(), fields).getBytes(StandardCharsets.US_ASCII);
            if (Hmac.equal(given, expected)) {
                return;
            }
        }
        throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The signature does not match the parameters.");
    }

    private JsonNode decode(String part) {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token is not a JWT.");
            }
            return node;
        } catch (IllegalArgumentException | JacksonException e) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The token is not a JWT.");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isString() ? null : v.stringValue();
    }
}
