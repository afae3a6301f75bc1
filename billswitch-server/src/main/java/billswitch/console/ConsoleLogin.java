package billswitch.console;

import billswitch.admin.AdminIdentities;
import billswitch.admin.AdminIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The console's login: an admin identity's name, with its token as the password. Failed logins are counted per name
 * from a client address, and per address: after {@value #MAX_FAILURES} for a name from an address in {@link #WINDOW}
 * (from an address, whatever the names: five times as many) its further attempts are refused, right or wrong, until
 * the window has passed, so a token cannot be guessed through the form; a name is never locked for other addresses,
 * so nobody can lock the admins out from elsewhere.
 * The counts are per node, as the admin API's tokens are 256 random bits. The console's chain's own provider, not a
 * bean: Spring Security would also make a bean the global one, asked a second time for each login.
 */
final class ConsoleLogin implements AuthenticationProvider {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final AdminIdentities identities;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    ConsoleLogin(AdminIdentities identities) {
        this.identities = identities;
    }

    /** A session's authentication: the identity, and when it logged in (a token rotated since ends the session). */
    static final class Session extends UsernamePasswordAuthenticationToken {
        private final Instant loggedInAt;

        Session(AdminIdentity identity, Instant loggedInAt) {
            super(identity, null, List.of(new SimpleGrantedAuthority("ROLE_" + identity.role().name())));
            this.loggedInAt = loggedInAt;
        }

        AdminIdentity identity() {
            return (AdminIdentity) getPrincipal();
        }

        Instant loggedInAt() {
            return loggedInAt;
        }
    }

    private record Failures(Instant since, int count) {
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        String name = String.valueOf(request.getName()).trim();
        String token = request.getCredentials() == null ? "" : request.getCredentials().toString();
        String address = request.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : "unknown";
        String nameThere = "name:" + name + "@" + address;
        if (blocked(nameThere, MAX_FAILURES) || blocked("address:" + address, MAX_FAILURES * 5)) {
            throw new LockedException("Too many failed logins. Try again in " + WINDOW.toMinutes() + " minutes.");
        }
        AdminIdentity identity = identities.authenticate(name, token).orElse(null);
        if (identity == null) {
            count(nameThere);
            count("address:" + address);
            throw new BadCredentialsException("Wrong name or token.");
        }
        failures.remove(nameThere);
        return new Session(identity, clock.instant());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Back to the login form, which says why (a locked name or a wrong token), never which part was wrong. */
    void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        response.sendRedirect(request.getContextPath() + ConsoleSecurity.LOGIN
                + (e instanceof LockedException ? "?locked" : "?error"));
    }

    private boolean blocked(String key, int max) {
        Failures f = failures.get(key);
        return f != null && f.count() >= max && f.since().plus(WINDOW).isAfter(clock.instant());
    }

    private void count(String key) {
        Instant now = clock.instant();
        failures.compute(key, (k, f) -> f == null || f.since().plus(WINDOW).isBefore(now)
                ? new Failures(now, 1) : new Failures(f.since(), f.count() + 1));
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> e.getValue().since().plus(WINDOW).isBefore(now));
        }
    }
}
