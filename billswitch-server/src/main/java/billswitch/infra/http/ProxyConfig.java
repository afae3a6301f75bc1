package billswitch.infra.http;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The client's address. Spring Boot trusts X-Forwarded-For from any caller by itself when it detects a cloud platform
 * (KUBERNETES_SERVICE_HOST set): a caller could then name its own address and pass an allow-list. BillSwitch keeps
 * server.forward-headers-strategy at none and reads the header only from the proxies it is told to trust.
 */
@Configuration(proxyBeanMethods = false)
class ProxyConfig {

    @Bean
    FilterRegistrationBean<ForwardedClientFilter> forwardedClientFilter(TrustedProxies proxies, Environment environment) {
        String strategy = environment.getProperty("server.forward-headers-strategy", "none");
        if (!strategy.equalsIgnoreCase("none")) {
            throw new IllegalStateException("server.forward-headers-strategy=" + strategy + " would take X-Forwarded-For"
                    + " from any caller; leave it none and list the proxies in front of BillSwitch in"
                    + " billswitch.proxy.trusted-proxies (env BILLSWITCH_PROXY_TRUSTED_PROXIES).");
        }
        FilterRegistrationBean<ForwardedClientFilter> registration =
                new FilterRegistrationBean<>(new ForwardedClientFilter(proxies.blocks()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        registration.setEnabled(proxies.enabled());
        return registration;
    }
}
