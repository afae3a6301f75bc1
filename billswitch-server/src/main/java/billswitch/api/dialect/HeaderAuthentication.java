package billswitch.api.dialect;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A dialect that authenticates its caller from the request's headers alone: {@link DialectBodyFilter} authenticates
 * the request before its body is read, so only a known, authenticated partner can make a request thread wait for a
 * body. The dialect's own authentication answers, exactly as it would in its controller.
 */
public interface HeaderAuthentication {
    /** Whether this dialect serves the path (and authenticates every request there from headers). */
    boolean serves(String path);

    /** Authenticates from the headers (the partner's answer in the dialect's errors), or throws. */
    void authenticateHeaders(HttpServletRequest request);
}
