package billswitch.api.admin;

import billswitch.admin.AdminIdentity;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The admin request being served: who makes it (set by AdminTokenFilter) and what it is, for the audit log. */
final class AdminRequest {
    private AdminRequest() {
    }

    static AdminIdentity actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof AdminIdentity identity)) {
            throw new IllegalStateException("an admin request without an authenticated identity");
        }
        return identity;
    }

    /** Method and path, e.g. "POST /admin/partners/P1/suspend". */
    static String line() {
        HttpServletRequest r = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        return r.getMethod() + " " + r.getRequestURI();
    }
}
