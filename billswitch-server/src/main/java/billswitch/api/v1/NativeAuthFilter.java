package billswitch.api.v1;

import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.ErrorBody;
import billswitch.api.RequestLimits;
import billswitch.infra.http.ReplayGuard;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.ErrorCode;
import billswitch.shared.ReplayMark;
import billswitch.shared.Secret;
import java.util.Set;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the native API: X-Api-Key (key id), X-Timestamp (Unix ms, within the tolerance), X-Signature =
 * base64(HMAC-SHA256(secret, canonical)), where X-Signature-Version says which canonical string was signed:
 * <ul>
 *   <li>2: "v2" \n timestamp \n METHOD \n path?query \n Content-Type \n Idempotency-Key \n body;</li>
 *   <li>1 (no header): timestamp \n METHOD \n path?query \n body, accepted until
 *       {@code billswitch.api.native-v1-accepted-until}.</li>
 * </ul>
 * What can be checked without the database comes first (headers, version, timestamp, the signature's form); an
 * unknown key id and a wrong signature are answered alike (INVALID_SIGNATURE), and told apart only in the log.
 * Once the signature verifies, admits the request within the partner's limits ({@link RequestLimits}: over them,
 * nothing is recorded), then refuses replays (on any node, {@link ReplayGuard}), suspended partners and addresses
 * outside a non-empty allow-list.
 */
class NativeAuthFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(NativeAuthFilter.class);
    private static final String PARTNER = "billswitch.partner";
    /** Longer key ids are no key of ours: refused without asking the database. */
    private static final int MAX_KEY_ID_LENGTH = 128;

    private static final String REPLAY_MARK = "billswitch.replayMark";
    /**
     * The paths whose POSTs are payments: their replay mark goes to the payment, which records it in its batch's
     * transaction (a round trip of its own per payment cost a quarter of the benchmark's payments a second).
     */
    private static final Set<String> PAYMENTS = Set.of("/v1/recharges", "/v1/bills/pay");

    /** The replay mark a payment request must have recorded, or null if this filter recorded it already. */
    static ReplayMark replayMark(HttpServletRequest request) {
        return (ReplayMark) request.getAttribute(REPLAY_MARK);
    }

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
    private final LocalDate v1AcceptedUntil;

    NativeAuthFilter(PartnerService partners, ReplayGuard replays, RequestLimits limits, Clock clock,
                     BillSwitchProperties props) {
        this.partners = partners;
        this.limits = limits;
        this.replays = replays;
        this.clock = clock;
        this.maxBodyBytes = props.api().maxBodyBytes();
        this.toleranceMillis = props.api().timestampTolerance().toMillis();
        this.v1AcceptedUntil = props.api().nativeV1AcceptedUntil();
    }

    /** The OpenAPI document (OpenApiDocument) is public: exactly that path, GET, needs no signature. */
    static final String OPENAPI_PATH = "/v1/openapi.json";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The path as the container maps it (decoded, normalised), as the dispatcher will: exactly the document.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return OPENAPI_PATH.equals(path) && "GET".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CachedBodyRequest cached;
        try {
            // What the headers alone can refuse is refused before the body is read: a caller without a known key
            // and a fresh timestamp cannot hold a request thread by sending its body slowly.
            Signed signed = fromHeaders(request);
            cached = CachedBodyRequest.of(request, maxBodyBytes);
            request.setAttribute(PARTNER, authenticate(cached, signed));
        } catch (BillSwitchException e) {
            if (e.code() == ErrorCode.BUSY) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            }
            ErrorBody.write(response, e);
            return;
        }
        chain.doFilter(cached, response);
    }

    /** What the headers say: the key's credential, the signature's version, timestamp and bytes. */
    private record Signed(PartnerService.Credential credential, int version, String timestamp, long sentAt, byte[] presented) {
    }

    /**
     * The headers checked without the body: present, a known version, a fresh timestamp, a signature of the right
     * shape and a known native key (an unknown one answered as a wrong signature, the log says which).
     */
    private Signed fromHeaders(HttpServletRequest request) {
        String keyId = request.getHeader("X-Api-Key");
        String timestamp = request.getHeader("X-Timestamp");
        String signature = request.getHeader("X-Signature");
        if (isBlank(keyId) || isBlank(timestamp) || isBlank(signature)) {
            throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS,
                    "X-Api-Key, X-Timestamp and X-Signature headers are required.");
        }
        int version = version(request.getHeader("X-Signature-Version"));
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
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.MALFORMED_SIGNATURE, "X-Signature is not valid base64.");
        }
        if (presented.length != 32 || keyId.length() > MAX_KEY_ID_LENGTH) {
            log.info("Native API: refused key id {} from {}: {}", printable(keyId), request.getRemoteAddr(),
                    presented.length != 32 ? "the signature is not 32 bytes" : "the key id is too long");
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
        }
        PartnerService.Credential credential = partners.credential(keyId)
                .filter(c -> c.dialect().equals(PartnerService.NATIVE)).orElse(null);
        if (credential == null) {
            log.info("Native API: refused key id {} from {}: no such native key", printable(keyId), request.getRemoteAddr());
            throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
        }
        return new Signed(credential, version, timestamp, sentAt, presented);
    }

    private PartnerService.Credential authenticate(CachedBodyRequest request, Signed signed) {
        PartnerService.Credential credential = signed.credential();
        String keyId = credential.keyId();
        int version = signed.version();
        byte[] presented = signed.presented();
        byte[] canonical = version == 2 ? canonicalV2(request, signed.timestamp()) : canonical(request, signed.timestamp());
        if (!verifies(credential, canonical, presented)) {
            // Rotated on another node since this one read the credential? Read it again (at most once a second).
            PartnerService.Credential fresh = partners.reloaded(keyId)
                    .filter(c -> c.dialect().equals(PartnerService.NATIVE)).orElse(null);
            if (fresh == null || !verifies(fresh, canonical, presented)) {
                log.info("Native API: refused key id {} from {}: the version {} signature does not match", printable(keyId),
                        request.getRemoteAddr(), version);
                throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE);
            }
            credential = fresh;
        }
        // The partner's limits before its replay memory: a request over them is refused with nothing recorded, so
        // the same signed bytes sent again once the partner is under its limits are handled as new, and a partner
        // over its limits costs no write. After the signature: a key id alone cannot spend a partner's limits.
        limits.admit(request, credential);
        ReplayMark mark = ReplayGuard.mark("native", credential.keyId(), presented, signed.sentAt());
        if (PAYMENTS.contains(request.getRequestURI()) && "POST".equals(request.getMethod())) {
            if (replays.isKnownReplay(mark)) {
                throw new BillSwitchException(ErrorCode.REPLAYED_REQUEST);
            }
            request.setAttribute(REPLAY_MARK, mark); // recorded by the payment's own batch (NativeController)
        } else if (!replays.firstUse(mark)) {
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

    /**
     * The signature is the credential's current secret's, or that of the secret a rotation replaced while its overlap
     * window lasts (then only: the window is checked here, on every request, not when the credential was cached).
     */
    private boolean verifies(PartnerService.Credential credential, byte[] canonical, byte[] presented) {
        if (Hmac.equal(presented, Hmac.sha256(credential.secret().reveal().getBytes(StandardCharsets.UTF_8), canonical))) {
            return true;
        }
        Secret<String> previous = credential.previousSecretAt(clock.instant());
        return previous != null
                && Hmac.equal(presented, Hmac.sha256(previous.reveal().getBytes(StandardCharsets.UTF_8), canonical));
    }

    /** The X-Signature-Version: 2, or 1 when absent (while version 1 is still accepted). */
    private int version(String header) {
        if (header == null || header.equals("1")) {
            if (LocalDate.now(clock.withZone(ZoneOffset.UTC)).isAfter(v1AcceptedUntil)) {
                throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "Signature version 1 is no longer accepted "
                        + "(it was until " + v1AcceptedUntil + "): sign version 2 and send X-Signature-Version: 2.");
            }
            return 1;
        }
        if (header.equals("2")) {
            return 2;
        }
        throw new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "X-Signature-Version must be 2 (or 1, deprecated).");
    }

    /** "v2" \n timestamp \n METHOD \n path?query \n Content-Type \n Idempotency-Key \n body, as bytes. */
    static byte[] canonicalV2(CachedBodyRequest request, String timestamp) {
        return join("v2\n" + timestamp + "\n" + request.getMethod() + "\n" + target(request) + "\n"
                + orEmpty(request.getHeader("Content-Type")) + "\n" + orEmpty(request.getHeader("Idempotency-Key")) + "\n",
                request.body());
    }

    /** Version 1: timestamp \n METHOD \n path?query \n body, as bytes. */
    static byte[] canonical(CachedBodyRequest request, String timestamp) {
        return join(timestamp + "\n" + request.getMethod() + "\n" + target(request) + "\n", request.body());
    }

    private static String target(CachedBodyRequest request) {
        return request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    private static byte[] join(String head, byte[] body) {
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A key id as it may go into the log: at most 64 characters, control characters replaced. */
    private static String printable(String keyId) {
        String cut = keyId.length() > 64 ? keyId.substring(0, 64) + "..." : keyId;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
