package billswitch.api.admin;

import billswitch.infra.config.BillSwitchProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AdminApiConfig {

    @Bean
    FilterRegistrationBean<AdminAuthFilter> adminAuthFilter(BillSwitchProperties props) {
        String token = props.adminToken();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("billswitch.admin-token (env BILLSWITCH_ADMIN_TOKEN) must be set.");
        }
        if (!props.sandbox().enabled() && token.length() < 24) {
            throw new IllegalStateException("billswitch.admin-token must be at least 24 characters outside sandbox mode.");
        }
        FilterRegistrationBean<AdminAuthFilter> registration =
                new FilterRegistrationBean<>(new AdminAuthFilter(token, props.api().maxBodyBytes()));
        registration.addUrlPatterns("/admin/*");
        return registration;
    }
}
