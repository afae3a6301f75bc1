package billswitch.api.admin;

import billswitch.api.ErrorBody;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.shared.BillSwitchException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an authorized admin request's body once, within the size limit (BODY_TOO_LARGE past it). A catalog file
 * (an import of the whole catalog, or of an upstream's operator list) or an upstream's report may be larger: up to {@link #MAX_CATALOG_BYTES}.
 */
class AdminBodyFilter extends OncePerRequestFilter {
    static final int MAX_CATALOG_BYTES = 16 * 1024 * 1024;

    private final int maxBodyBytes;

    AdminBodyFilter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CachedBodyRequest cached;
        try {
            String path = request.getRequestURI();
            boolean catalogFile = path.endsWith("/catalog/import") || path.endsWith("/catalog-import")
                    || path.equals("/admin/reconciliations");
            cached = CachedBodyRequest.of(request, catalogFile ? Math.max(maxBodyBytes, MAX_CATALOG_BYTES) : maxBodyBytes);
        } catch (BillSwitchException e) {
            ErrorBody.write(response, e);
            return;
        }
        chain.doFilter(cached, response);
    }
}
