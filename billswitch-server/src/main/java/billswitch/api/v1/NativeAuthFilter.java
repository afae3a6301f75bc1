package billswitch.api.v1;

import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.ErrorBody;
import billswitch.api.RequestLimits;
import billswitch.infra.http.ReplayGuard;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the native API: X-Api-Key (key id), X-Timestamp (Unix ms, within the tolerance),
 * X-Signature = base64(HMAC-SHA256(secret, timestamp + "\n" + METHOD + "\n" + path?query + "\n" + body)).
 * Then refuses replays, suspended partners and addresses outside a non-empty allow-list, and admits the request
 * within the partner's limits ({@link RequestLimits}).
 */
class NativeAuthFilter extends OncePerRequestFilter {
    private static final String PARTNER = "billswitch.partner";

    /** The credential the request was signed with (set by this filter before any controller runs). */
    static PartnerService.Credential caller(HttpServletRequest request) {
        return (PartnerService.Credential) request.getAttribute(PARTNER);
    }

    private final PartnerService partners;
    private final ReplayGuard replays;
    private final RequestLimits limits;
    private final Clock clock;
    private final int maxBodyBytes;
    private final long toleranceMillis;

    NativeAuthFilter(PartnerService partners, ReplayGuard replays, RequestLimits limits, Clock clock,
                     BillSwitchProperties props) {
        this.partners = partners;
        this.limits = limits;
        this.replays = replays;
        this.clock = clock;
        this.maxBodyBytes = props.api().maxBodyBytes();
        this.toleranceMillis = props.api().timestampTolerance().toMillis();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.of(request, maxBodyBytes);
            request.setAttribute(PARTNER, limits.admit(request, authenticate(cached)));
        } catch (BillSwitchException e) {
            ErrorBody.write(response, e);
            return;
        }
        chain.doFilter(cached, response);
    }

    private PartnerService.Credential authenticate(CachedBodyRequest request) {
        String keyId = request.getHeader("X-Api-Key");
        String timestamp = request.getHeader("X-Timestamp");
        String signature = request.getHeader("X-Signature");
        if (isBlank(keyId) || isBlank(timestamp) || isBlank(signature)) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS,
                    "X-Api-Key, X-Timestamp and X-Signature headers are required.");
        }
        long now = clock.millis();
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP, "X-Timestamp must be Unix milliseconds.");
        }
        if (Math.abs(now - sentAt) > toleranceMillis) {
            throw new BillSwitchException(ErrorCode.STALE_TIMESTAMP,
                    "X-Timestamp is more than " + toleranceMillis / 1000 + " seconds from the server's clock.");
        }
        PartnerService.Credential credential = partners.credential(keyId)
                .filter(c -> c.dialect().equals(PartnerService.NATIVE))
                .orElseThrow(() -> new BillSwitchException(ErrorCode.UNKNOWN_API_KEY));
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_SIGNATURE, "X-Signature is not valid base64.");
        }
        byte[] expected = Hmac.sha256(credential.secret().reveal().getBytes(StandardCharsets.UTF_8),
                canonical(request, timestamp));
        if (!Hmac.equal(presented, expected)) {
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
        }
        if (!replays.firstUse(credential.keyId(), presented, sentAt, now)) {
            throw new BillSwitchException(ErrorCode.REPLAYED_REQUEST);
        }
        if (!credential.partner().active()) {
            throw new BillSwitchException(ErrorCode.PARTNER_SUSPENDED);
        }
        if (!credential.partner().admits(request.getRemoteAddr())) {
            throw new BillSwitchException(ErrorCode.IP_NOT_ALLOWED,
                    "Requests from " + request.getRemoteAddr() + " are not on the partner's allow-list.");
        }
        return credential;
    }

    /** timestamp \n METHOD \n path?query \n body, as bytes. */
    static byte[] canonical(CachedBodyRequest request, String timestamp) {
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        byte[] head = (timestamp + "\n" + request.getMethod() + "\n" + target + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + request.body().length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(request.body(), 0, all, head.length, request.body().length);
        return all;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
