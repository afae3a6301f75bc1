package billswitch.api.admin;

import billswitch.admin.AdminIdentities;
import billswitch.api.ErrorBody;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Spring Security for the admin API (and, in billswitch.console, for the console): its filter is registered on
 * /admin/* and /console/* only, so the partner APIs (/v1, the dialects' paths, /callbacks) never pass through it (no firewall, no session, no
 * CSRF, no added headers, no cost on the payment path); they keep their own authentication filters.
 * <p>
 * A request's bearer token names an identity ({@link AdminTokenFilter}); its role decides what it may do, per
 * endpoint, below. The README's roles matrix is this method. An approval's decision is further checked against
 * the approval's action (a top-up needs FINANCE, a settlement OPERATIONS; ADMIN may decide both).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class AdminSecurity {
    private static final String OPERATIONS = "OPERATIONS";
    private static final String FINANCE = "FINANCE";
    private static final String ADMIN = "ADMIN";

    @Bean
    SecurityFilterChain adminFilterChain(HttpSecurity http, AdminIdentities identities, BillSwitchProperties props)
            throws Exception {
        http.securityMatcher("/admin/**")
                .csrf(c -> c.disable())
                .cors(c -> c.disable())
                .formLogin(c -> c.disable())
                .httpBasic(c -> c.disable())
                .logout(c -> c.disable())
                .anonymous(c -> c.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(c -> c.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .exceptionHandling(c -> c
                        .authenticationEntryPoint((request, response, e) ->
                                ErrorBody.write(response, new BillSwitchException(ErrorCode.ADMIN_UNAUTHORIZED)))
                        .accessDeniedHandler((request, response, e) ->
                                ErrorBody.write(response, new BillSwitchException(ErrorCode.ADMIN_FORBIDDEN))))
                .addFilterBefore(new AdminTokenFilter(identities), AuthorizationFilter.class)
                .addFilterAfter(new AdminBodyFilter(props.api().maxBodyBytes()), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/admin/identities/me").authenticated()
                        .requestMatchers("/admin/identities", "/admin/identities/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/partners/*/wallets/*/top-ups").hasAnyRole(FINANCE, ADMIN)
                        .requestMatchers(HttpMethod.PUT, "/admin/partners/*/wallets/*/credit-limit",
                                "/admin/partners/*/wallets/*/low-balance-threshold").hasAnyRole(FINANCE, ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/complaints/*/assign", "/admin/complaints/*/resolve",
                                "/admin/complaints/*/reject").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/orders/*/settle", "/admin/webhooks/events/*/redeliver",
                                "/admin/partners/*/suspend", "/admin/partners/*/reactivate").hasAnyRole(OPERATIONS, ADMIN)
                        // a connector's base URL and credentials: ADMIN only (RoutingController checks a PATCH's fields)
                        .requestMatchers(HttpMethod.POST, "/admin/connectors").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/categories", "/admin/locations",
                                "/admin/operators", "/admin/operators/*/plans").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/catalog/import", "/admin/connectors/*/catalog-import")
                                .hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.PATCH, "/admin/connectors/*", "/admin/operators/*", "/admin/categories/*",
                                "/admin/locations/*", "/admin/operators/*/plans/*").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.DELETE, "/admin/operators/*/plans/*").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.PUT, "/admin/operators/*/routes").hasAnyRole(OPERATIONS, ADMIN)
                        // pricing plans, assignments, the default plan and CCF slabs
                        .requestMatchers(HttpMethod.POST, "/admin/pricing/**").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.PUT, "/admin/pricing/**", "/admin/operators/*/ccf-slabs")
                                .hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.DELETE, "/admin/pricing/**").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/approvals/*/approve", "/admin/approvals/*/reject")
                                .hasAnyRole(OPERATIONS, FINANCE, ADMIN)
                        // reconciliation: operations or a finance team runs a day; a case is closed by operations
                        .requestMatchers(HttpMethod.POST, "/admin/reconciliations").hasAnyRole(OPERATIONS, FINANCE, ADMIN)
                        .requestMatchers(HttpMethod.POST, "/admin/reconciliations/cases/*/close").hasAnyRole(OPERATIONS, ADMIN)
                        .requestMatchers(HttpMethod.GET, "/admin/**").authenticated()
                        // partners, their credentials, secrets and webhooks; anything not named above
                        .anyRequest().hasRole(ADMIN));
        return http.build();
    }

    /** A request Spring Security's firewall refuses (a ";" or an encoded "/" in the path...) is a 400 in our shape. */
    @Bean
    WebSecurityCustomizer adminFirewallAnswers() {
        return web -> web.requestRejectedHandler((request, response, e) -> ErrorBody.write(response,
                new BillSwitchException(ErrorCode.INVALID_REQUEST, "The request's path or headers are not accepted.")));
    }

    /**
     * Spring Security's filter, registered for /admin/* and the console's /console/* alone (Boot's registration for
     * every path, SecurityFilterAutoConfiguration, is excluded in BillSwitchApplication); each has its own chain.
     */
    @Bean
    FilterRegistrationBean<Filter> adminSecurityFilter(@Qualifier("springSecurityFilterChain") Filter chain) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(chain);
        registration.addUrlPatterns("/admin/*", "/console/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setName("securityFilterChain");
        return registration;
    }
}
