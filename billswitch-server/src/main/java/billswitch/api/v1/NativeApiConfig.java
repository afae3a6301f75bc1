package billswitch.api.v1;

import billswitch.api.RequestLimits;
import billswitch.infra.http.ReplayGuard;
import billswitch.partner.PartnerService;
import billswitch.infra.config.BillSwitchProperties;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class NativeApiConfig {

    @Bean
    FilterRegistrationBean<NativeAuthFilter> nativeAuthFilter(PartnerService partners, ReplayGuard replays,
                                                              RequestLimits limits, Clock clock, BillSwitchProperties props) {
        FilterRegistrationBean<NativeAuthFilter> registration =
                new FilterRegistrationBean<>(new NativeAuthFilter(partners, replays, limits, clock, props));
        registration.addUrlPatterns("/v1/*");
        return registration;
    }
}
