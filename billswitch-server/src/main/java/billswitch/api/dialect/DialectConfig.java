package billswitch.api.dialect;

import billswitch.api.DialectErrors;
import billswitch.infra.config.BillSwitchProperties;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DialectConfig {

    @Bean
    FilterRegistrationBean<DialectBodyFilter> dialectBodyFilter(List<DialectErrors> dialects, List<HeaderAuthentication> headerAuthentications,
                                                              BillSwitchProperties props) {
        FilterRegistrationBean<DialectBodyFilter> registration =
                new FilterRegistrationBean<>(new DialectBodyFilter(dialects, headerAuthentications, props.api().maxBodyBytes()));
        registration.addUrlPatterns("/api/*", "/ekoapi/*");
        return registration;
    }
}
