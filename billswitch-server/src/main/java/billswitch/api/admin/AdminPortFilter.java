package billswitch.api.admin;

import billswitch.api.ErrorBody;
import billswitch.infra.http.AdminConnector;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * With the admin API on a port of its own: /admin/** and the console's /console/** answer only there (404 NOT_FOUND on
 * the partners' port, as a path that does not exist), and the admin port serves nothing else. Decided on the decoded, normalised path the
 * container maps, so an encoded or dotted spelling of /admin is the same path. Who may call the admin API is decided after
 * this, by the admin authentication.
 */
final class AdminPortFilter implements Filter {
    private final AdminConnector admin;

    AdminPortFilter(AdminConnector admin) {
        this.admin = admin;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // The path as the container maps it (decoded, normalised, without ;parameters): the raw request URI let
        // /%61dmin/... or /v1/../admin/... past this check on the partners' port, to be mapped to /admin after it.
        String path = http.getServletPath() + (http.getPathInfo() == null ? "" : http.getPathInfo());
        boolean adminPath = path.equals("/admin") || path.startsWith("/admin/")
                || path.equals("/console") || path.startsWith("/console/");
        boolean adminPort = http.getLocalPort() == admin.localPort();
        if (adminPath != adminPort) {
            ErrorBody.write((HttpServletResponse) response, new BillSwitchException(ErrorCode.NOT_FOUND));
            return;
        }
        chain.doFilter(request, response);
    }
}
