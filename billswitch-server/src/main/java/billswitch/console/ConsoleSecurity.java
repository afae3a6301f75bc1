package billswitch.console;

import billswitch.admin.AdminIdentities;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Spring Security for the back-office console (/console/**), beside the admin API's chain and as separate from it:
 * a person logs in with an admin identity's name and token (form login, {@link ConsoleLogin}), keeps a session cookie
 * scoped to /console, and every change is a POST carrying the session's CSRF token. Whatever a page shows, the server
 * decides: a READ_ONLY identity may send no POST but the logout, and each change's handler names the roles that may
 * make it ({@code @PreAuthorize}, with the admin API's matrix).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ConsoleSecurity {
    static final String LOGIN = "/console/login";

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http, AdminIdentities identities) throws Exception {
        ConsoleLogin login = new ConsoleLogin(identities);
        http.securityMatcher("/console/**")
                .authenticationProvider(login)
                .formLogin(f -> f.loginPage(LOGIN).loginProcessingUrl(LOGIN)
                        .defaultSuccessUrl("/console", true)
                        .failureHandler(login::failed)
                        .permitAll())
                .logout(l -> l.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN + "?logout")
                        .deleteCookies("BILLSWITCH_CONSOLE"))
                .httpBasic(c -> c.disable())
                .requestCache(c -> c.disable())
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(e -> e.accessDeniedPage("/console/forbidden"))
                .addFilterBefore(new ConsoleSessionCheck(identities), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        // the login page whatever its query (?error, ?locked, ?logout, ?expired)
                        .requestMatchers(LOGIN, "/console/assets/**", "/console/webjars/**").permitAll()
                        .requestMatchers("/console/forbidden").authenticated()
                        .requestMatchers(HttpMethod.GET, "/console/**").authenticated()
                        .requestMatchers(HttpMethod.POST, "/console/logout").authenticated()
                        // every other change: not a viewer; the handler names the roles (@PreAuthorize)
                        .anyRequest().hasAnyRole("OPERATIONS", "FINANCE", "ADMIN"));
        return http.build();
    }
}
