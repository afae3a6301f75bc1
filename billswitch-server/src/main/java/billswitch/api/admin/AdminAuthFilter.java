package billswitch.api.admin;

import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.ErrorBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.infra.crypto.Hmac;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/** The admin API takes "Authorization: Bearer <admin token>", compared in constant time. */
class AdminAuthFilter extends OncePerRequestFilter {
    private final byte[] token;
    private final int maxBodyBytes;

    AdminAuthFilter(String token, int maxBodyBytes) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader("Authorization");
        if (presented == null || !Hmac.equal(presented.getBytes(StandardCharsets.UTF_8), token)) {
            ErrorBody.write(response, new BillSwitchException(ErrorCode.ADMIN_UNAUTHORIZED));
            return;
        }
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
