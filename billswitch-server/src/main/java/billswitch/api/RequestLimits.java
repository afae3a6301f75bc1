package billswitch.api;

import billswitch.partner.PartnerLimits;
import billswitch.partner.PartnerService;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The partners' request limits ({@link PartnerLimits}) on the partner APIs: each API's authentication admits its
 * request as soon as it knows the partner (from the signature and the cached credential, before anything else
 * reads the database), and the request's permit is given back once it has been answered, asynchronous answers
 * (a payment waiting on its operator) included. Over a limit: RATE_LIMITED, 429 with Retry-After in the API's
 * own shape.
 */
@Component
public class RequestLimits {
    private static final String PERMIT = "billswitch.limits.permit";

    private final PartnerLimits limits;

    RequestLimits(PartnerLimits limits) {
        this.limits = limits;
    }

    /** Admits the request of the credential's partner (once a request), or throws RATE_LIMITED; the credential. */
    public PartnerService.Credential admit(HttpServletRequest request, PartnerService.Credential credential) {
        if (request.getAttribute(PERMIT) == null) {
            request.setAttribute(PERMIT, limits.admit(credential.partner().id()));
        }
        return credential;
    }

    /** Gives the request's permit back when the request has been answered. */
    static final class Release extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } finally {
                if (request.getAttribute(PERMIT) instanceof PartnerLimits.Permit permit) {
                    if (request.isAsyncStarted()) {
                        request.getAsyncContext().addListener(new AsyncListener() {
                            @Override
                            public void onComplete(AsyncEvent event) {
                                permit.close();
                            }

                            @Override
                            public void onTimeout(AsyncEvent event) {
                            }

                            @Override
                            public void onError(AsyncEvent event) {
                            }

                            @Override
                            public void onStartAsync(AsyncEvent event) {
                            }
                        });
                    } else {
                        permit.close();
                    }
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<Release> requestLimitsRelease() {
            FilterRegistrationBean<Release> registration = new FilterRegistrationBean<>(new Release());
            registration.addUrlPatterns("/v1/*", "/api/*", "/ekoapi/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }
    }
}
