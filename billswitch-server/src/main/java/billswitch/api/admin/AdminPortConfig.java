package billswitch.api.admin;

import billswitch.infra.http.AdminConnector;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The admin API's own port, when it has one ({@link AdminPortFilter}), checked before any authentication. */
@Configuration(proxyBeanMethods = false)
class AdminPortConfig {

    @Bean
    FilterRegistrationBean<AdminPortFilter> adminPortFilter(AdminConnector admin) {
        FilterRegistrationBean<AdminPortFilter> registration = new FilterRegistrationBean<>(new AdminPortFilter(admin));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns("/*");
        registration.setEnabled(admin.separate());
        return registration;
    }
}
