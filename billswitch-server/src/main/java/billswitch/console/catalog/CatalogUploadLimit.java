package billswitch.console.catalog;

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
 * The console's catalog uploads (a catalog file, an upstream's operator list) may be as large as the admin API's
 * import body, 16 MiB; every other multipart body keeps spring.servlet.multipart's limits (64 KB). Jetty reads a
 * request's parts under the multipart configuration in its request attribute, which this filter sets for these
 * two forms alone, before Spring Security reads the form's CSRF field from the parts.
 */
@Configuration(proxyBeanMethods = false)
class CatalogUploadLimit {
    /** As the admin API's catalog import (AdminBodyFilter.MAX_CATALOG_BYTES). */
    static final int MAX_BYTES = 16 * 1024 * 1024;
    static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> catalogUploadLimitFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if ("POST".equals(request.getMethod())) {
                    request.setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement("", MAX_BYTES, MAX_BYTES, MAX_BYTES));
                }
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/console/catalog/import/preview", "/console/catalog/upstream-import/preview");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.setName("catalogUploadLimit");
        return registration;
    }
}
