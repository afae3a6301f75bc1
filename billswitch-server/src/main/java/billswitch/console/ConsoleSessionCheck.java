package billswitch.console;

import billswitch.admin.AdminIdentities;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a console session whose identity was disabled, or whose token was rotated, since it logged in: checked on every
 * console request (one indexed read; the console is used by people, not by machines), so it takes effect at once on
 * every node, as for the admin API's tokens.
 */
final class ConsoleSessionCheck extends OncePerRequestFilter {
    private final AdminIdentities identities;

    ConsoleSessionCheck(AdminIdentities identities) {
        this.identities = identities;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ConsoleLogin.Session session
                && !identities.stillValid(session.identity().name(), session.loggedInAt())) {
            SecurityContextHolder.clearContext();
            HttpSession http = request.getSession(false);
            if (http != null) {
                http.invalidate();
            }
            response.sendRedirect(request.getContextPath() + ConsoleSecurity.LOGIN + "?expired");
            return;
        }
        chain.doFilter(request, response);
    }
}
