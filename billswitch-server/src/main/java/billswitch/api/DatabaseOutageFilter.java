package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.DatabaseOutage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outermost filter: the database down or failing over where no exception handler sees it (the filters that
 * look up a partner's key before any controller runs) is answered DATABASE_UNAVAILABLE in the caller's dialect,
 * 503 with Retry-After, instead of the container's 500. Controllers' failures go to {@link ApiExceptionHandler},
 * which answers the same.
 */
class DatabaseOutageFilter extends OncePerRequestFilter {
    private final List<DialectErrors> dialects;

    DatabaseOutageFilter(List<DialectErrors> dialects) {
        this.dialects = dialects;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!DatabaseOutage.causedBy(e) || response.isCommitted()) {
                throw e;
            }
            BillSwitchException outage = ApiExceptionHandler.outage(e, request.getMethod() + " " + request.getRequestURI());
            ResponseEntity<String> answer = ApiExceptionHandler.render(dialects, request.getRequestURI(), outage);
            response.resetBuffer();
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.setHeader(name, v)));
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(answer.getBody().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(List<DialectErrors> dialects) {
            FilterRegistrationBean<DatabaseOutageFilter> registration =
                    new FilterRegistrationBean<>(new DatabaseOutageFilter(dialects));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }
}
