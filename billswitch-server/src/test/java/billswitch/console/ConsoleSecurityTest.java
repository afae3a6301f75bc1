package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's protections as the server enforces them, whatever a page shows: a session for every page, a CSRF
 * token on every POST, and no change at all from a READ_ONLY identity.
 */
class ConsoleSecurityTest extends IntegrationTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** A browser-like client: cookies kept, redirects not followed. */
    private final class Session {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The CSRF token a page of this session carries. */
        String csrf(String path) throws IOException, InterruptedException {
            Matcher m = CSRF.matcher(get(path).body());
            assertThat(m.find()).as("a CSRF field on " + path).isTrue();
            return m.group(1);
        }

        HttpResponse<String> logIn(String name, String token) throws IOException, InterruptedException {
            return post("/console/login", "username=" + name + "&password=" + enc(token) + "&_csrf=" + enc(csrf("/console/login")));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyPageNeedsASession() throws Exception {
        Session anonymous = new Session();
        HttpResponse<String> home = anonymous.get("/console");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
        assertThat(anonymous.get("/console/login").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/assets/console.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/webjars/chart.js/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void aLoginWithoutTheFormsCsrfTokenIsRefused() throws Exception {
        Session session = new Session();
        session.get("/console/login");
        HttpResponse<String> login = session.post("/console/login", "username=admin&password=demo-admin");
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(session.get("/console").statusCode()).isEqualTo(302);
    }

    @Test
    void aPostWithoutItsCsrfTokenChangesNothing() throws Exception {
        Session session = new Session();
        HttpResponse<String> login = session.logIn("admin", "demo-admin");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/console");
        assertThat(session.get("/console").statusCode()).isEqualTo(200);
        assertThat(session.post("/console/logout", "").statusCode()).isEqualTo(403);
        assertThat(session.get("/console").statusCode()).as("still logged in").isEqualTo(200);
        HttpResponse<String> logout = session.post("/console/logout", "_csrf=" + enc(session.csrf("/console")));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(session.get("/console").statusCode()).as("logged out").isEqualTo(302);
    }

    @Test
    void aViewerMayPostNothingButTheLogout() throws Exception {
        Session viewer = new Session();
        assertThat(viewer.logIn("viewer", "demo-viewer").statusCode()).isEqualTo(302);
        String csrf = viewer.csrf("/console");
        for (String path : new String[] {"/console/partners", "/console/catalog/operators", "/console/payments/1/settle",
                "/console/anything"}) {
            HttpResponse<String> refused = viewer.post(path, "_csrf=" + enc(csrf));
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.body()).as(path).contains("Not allowed").doesNotContain("Exception");
        }
        assertThat(viewer.post("/console/logout", "_csrf=" + enc(csrf)).statusCode()).isEqualTo(302);
    }

    @Test
    void theSessionCookieIsTheConsolesAlone() throws Exception {
        Session session = new Session();
        HttpResponse<String> page = session.get("/console/login");
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("BILLSWITCH_CONSOLE="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("Path=/console").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    }
}
