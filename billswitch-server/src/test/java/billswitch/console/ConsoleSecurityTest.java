package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleSession;
import billswitch.support.IntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The console's protections as the server enforces them, whatever a page shows: a session for every page, a CSRF
 * token on every POST, and no change at all from a READ_ONLY identity.
 */
class ConsoleSecurityTest extends IntegrationTest {
    @Test
    void everyPageNeedsASession() {
        ConsoleSession anonymous = new ConsoleSession(port);
        HttpResponse<String> home = anonymous.get("/console");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
        assertThat(anonymous.get("/console/login").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/assets/console.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/console/webjars/chart.js/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void aLoginWithoutTheFormsCsrfTokenIsRefused() {
        ConsoleSession session = new ConsoleSession(port);
        session.get("/console/login");
        HttpResponse<String> login = session.post("/console/login", "username=admin&password=demo-admin");
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(session.get("/console").statusCode()).isEqualTo(302);
    }

    @Test
    void aPostWithoutItsCsrfTokenChangesNothing() {
        ConsoleSession session = new ConsoleSession(port);
        HttpResponse<String> login = session.logIn("admin", "demo-admin");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/console");
        assertThat(session.get("/console").statusCode()).isEqualTo(200);
        assertThat(session.post("/console/logout", "").statusCode()).isEqualTo(403);
        assertThat(session.get("/console").statusCode()).as("still logged in").isEqualTo(200);
        HttpResponse<String> logout = session.post("/console/logout", "_csrf=" + ConsoleSession.enc(session.csrf("/console")));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(session.get("/console").statusCode()).as("logged out").isEqualTo(302);
    }

    @Test
    void aViewerMayPostNothingButTheLogout() {
        ConsoleSession viewer = new ConsoleSession(port);
        assertThat(viewer.logIn("viewer", "demo-viewer").statusCode()).isEqualTo(302);
        String csrf = viewer.csrf("/console");
        for (String path : new String[] {"/console/partners", "/console/catalog/operators", "/console/payments/1/settle",
                "/console/anything"}) {
            HttpResponse<String> refused = viewer.post(path, "_csrf=" + ConsoleSession.enc(csrf));
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.body()).as(path).contains("Not allowed").doesNotContain("Exception");
        }
        assertThat(viewer.post("/console/logout", "_csrf=" + ConsoleSession.enc(csrf)).statusCode()).isEqualTo(302);
    }

    @Test
    void theSessionCookieIsTheConsolesAlone() {
        ConsoleSession session = new ConsoleSession(port);
        HttpResponse<String> page = session.get("/console/login");
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("BILLSWITCH_CONSOLE="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("Path=/console").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    }
}
