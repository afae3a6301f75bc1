package billswitch.api.admin;

import billswitch.admin.AdminIdentities;
import billswitch.admin.AdminIdentity;
import billswitch.api.ErrorBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * "Authorization: Bearer <token>" names the admin identity making the request; a missing, unknown or disabled
 * identity's token is ADMIN_UNAUTHORIZED (401) before anything else is read.
 */
class AdminTokenFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final AdminIdentities identities;

    AdminTokenFilter(AdminIdentities identities) {
        this.identities = identities;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        Optional<AdminIdentity> identity = header == null || !header.startsWith(BEARER) ? Optional.empty()
                : identities.authenticate(header.substring(BEARER.length()));
        if (identity.isEmpty()) {
            ErrorBody.write(response, new BillSwitchException(ErrorCode.ADMIN_UNAUTHORIZED));
            return;
        }
        AdminIdentity who = identity.get();
        SecurityContextHolder.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                who, null, List.of(new SimpleGrantedAuthority("ROLE_" + who.role().name())))));
        chain.doFilter(request, response);
    }
}
