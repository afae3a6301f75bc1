package billswitch.console.reconciliation;

import billswitch.reconciliation.Reconciliations;
import jakarta.servlet.FilterChain;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An upstream's report uploaded in the console may be as large as POST /admin/reconciliations takes
 * ({@link Reconciliations#MAX_REPORT_BYTES}); every other multipart body keeps spring.servlet.multipart's limits.
 * As the catalog's uploads: Jetty reads the parts under the configuration in this request attribute.
 */
@Configuration(proxyBeanMethods = false)
class ReportUploadLimit {
    static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> reportUploadLimitFilter() {
        int max = Reconciliations.MAX_REPORT_BYTES;
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if ("POST".equals(request.getMethod())) {
                    request.setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement("", max, max, max));
                }
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/console/reconciliation/import");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.setName("reportUploadLimit");
        return registration;
    }
}
