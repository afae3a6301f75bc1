package billswitch.api.dialect;

import billswitch.api.ApiExceptionHandler;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.DialectErrors;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a dialect request's body once, within the size limit, so signatures are checked over the exact
 * bytes. Multipart bodies are left to the container (bounded by spring.servlet.multipart limits).
 * A body over the limit is answered in the dialect's own error shape.
 */
class DialectBodyFilter extends OncePerRequestFilter {
    private final List<DialectErrors> dialects;
    private final int maxBodyBytes;

    DialectBodyFilter(List<DialectErrors> dialects, int maxBodyBytes) {
        this.dialects = dialects;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase().startsWith("multipart/");
        HttpServletRequest cached = request;
        try {
            requireCredentialHeaders(request);
            if (!multipart) {
                cached = CachedBodyRequest.of(request, maxBodyBytes);
            }
        } catch (BillSwitchException e) {
            ResponseEntity<String> answer = ApiExceptionHandler.render(dialects, request.getRequestURI(), e);
            response.setStatus(answer.getStatusCode().value());
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(answer.getBody().getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(cached, response);
    }

    /**
     * Where a dialect authenticates from headers, a request without them is refused before its body is read, as its
     * authentication would refuse it after: an anonymous caller cannot hold a request thread by sending a body
     * slowly. Eko sends developer_key, secret-key and secret-key-timestamp on every call, AppotaPay X-APPOTAPAY-AUTH.
     * AOPay names its partner in the body (RegistrationID), so its body is read first, within the read deadlines.
     */
    static void requireCredentialHeaders(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.startsWith("/ekoapi/")) {
            if (request.getHeader("developer_key") == null || request.getHeader("secret-key") == null
                    || request.getHeader("secret-key-timestamp") == null) {
                throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS,
                        "developer_key, secret-key and secret-key-timestamp headers are required.");
            }
        } else if (path.startsWith("/api/v1/service/") || path.startsWith("/api/v2/service/")) {
            if (isBlank(request.getHeader("X-APPOTAPAY-AUTH"))) {
                throw new BillSwitchException(ErrorCode.MISSING_CREDENTIALS, "X-APPOTAPAY-AUTH header is missing.");
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
