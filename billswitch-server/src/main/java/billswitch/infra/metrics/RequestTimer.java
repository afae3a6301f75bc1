package billswitch.infra.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request latency as {@code billswitch_http_requests_seconds{api, status}}, a histogram with fixed buckets: the API
 * (native, aopay, eko, appotapay, admin, console, callbacks, other) and the status class (2xx...5xx), every timer made
 * once up front, so a request costs two clock reads and one record. A payment answered later (asynchronously) is timed
 * until its answer. Spring Boot's own http.server.requests observation is off (application.yml): per request it built
 * an observation, its context and its tags, and cost the benchmark 6-15% of its payments a second.
 */
@Configuration(proxyBeanMethods = false)
class RequestTimer {
    private static final String[] APIS = {"native", "aopay", "eko", "appotapay", "admin", "console", "callbacks", "other"};
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    @Bean
    FilterRegistrationBean<Timing> requestTiming(MeterRegistry registry) {
        Timer[][] timers = new Timer[APIS.length][CLASSES.length];
        for (int a = 0; a < APIS.length; a++) {
            for (int c = 0; c < CLASSES.length; c++) {
                timers[a][c] = Timer.builder("billswitch.http.requests")
                        .description("Requests by API and status class, from the first byte read to the answer")
                        .tag("api", APIS[a]).tag("status", CLASSES[c])
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
            }
        }
        FilterRegistrationBean<Timing> registration = new FilterRegistrationBean<>(new Timing(timers));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("requestTiming");
        return registration;
    }

    static final class Timing extends OncePerRequestFilter {
        private final Timer[][] timers;

        Timing(Timer[][] timers) {
            this.timers = timers;
        }

        @Override
        protected boolean shouldNotFilterAsyncDispatch() {
            return true; // timed once, from the first dispatch to the answer
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            long start = System.nanoTime();
            try {
                chain.doFilter(request, response);
            } finally {
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new AsyncListener() {
                        @Override
                        public void onComplete(AsyncEvent event) {
                            record(request, response, start);
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
                    record(request, response, start);
                }
            }
        }

        private void record(HttpServletRequest request, HttpServletResponse response, long start) {
            int status = response.getStatus() / 100 - 1;
            timers[api(request.getRequestURI())][status < 0 || status > 4 ? 4 : status]
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /** Which API a path is (the raw URI's first segment: a count per API, never per path). */
        static int api(String uri) {
            if (uri.startsWith("/v1/")) {
                return 0;
            } else if (uri.startsWith("/api/AOP") || uri.startsWith("/api/aop")) {
                return 1;
            } else if (uri.startsWith("/ekoapi/")) {
                return 2;
            } else if (uri.startsWith("/api/")) {
                return 3;
            } else if (uri.startsWith("/admin/")) {
                return 4;
            } else if (uri.startsWith("/console")) {
                return 5;
            } else if (uri.startsWith("/callbacks/")) {
                return 6;
            }
            return 7;
        }
    }
}
