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

/** Reads an authorized admin request's body once, within the size limit (BODY_TOO_LARGE past it). */
class AdminBodyFilter extends OncePerRequestFilter {
    private final int maxBodyBytes;

    AdminBodyFilter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.of(request, maxBodyBytes);
        } catch (BillSwitchException e) {
            ErrorBody.write(response, e);
            return;
        }
        chain.doFilter(cached, response);
    }
}
