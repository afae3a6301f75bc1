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
    private final List<HeaderAuthentication> headerAuthentications;
    private final int maxBodyBytes;

    DialectBodyFilter(List<DialectErrors> dialects, List<HeaderAuthentication> headerAuthentications, int maxBodyBytes) {
        this.dialects = dialects;
        this.headerAuthentications = headerAuthentications;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase().startsWith("multipart/");
        HttpServletRequest cached = request;
        try {
            authenticateHeaders(request);
            if (!multipart) {
                cached = CachedBodyRequest.of(request, maxBodyBytes);
            }
        } catch (BillSwitchException e) {
            ResponseEntity<String> answer = ApiExceptionHandler.render(dialects, request.getRequestURI(), e);
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(answer.getBody().getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(cached, response);
    }

    /**
     * Where a dialect authenticates from headers (Eko: developer_key, secret-key and secret-key-timestamp; AppotaPay:
     * the X-APPOTAPAY-AUTH token), the request is authenticated before its body is read, with the answers its
     * controller would give: an anonymous or wrongly signed caller cannot hold a request thread by sending a body
     * slowly. AOPay names its partner in the body (RegistrationID), so its body is read first, within the read
     * deadlines and the server's body readers.
     */
    private void authenticateHeaders(HttpServletRequest request) {
        String path = request.getRequestURI();
        for (HeaderAuthentication dialect : headerAuthentications) {
            if (dialect.serves(path)) {
                dialect.authenticateHeaders(request);
                return;
            }
        }
    }
}
