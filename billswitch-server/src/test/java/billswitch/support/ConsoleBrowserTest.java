package billswitch.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the console's browser tests: the real server (as every {@link IntegrationTest}) and one headless Chromium
 * per test class, logged out at the start of each class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConsoleBrowserTest extends IntegrationTest {
    /** The sandbox's demo identities (README). */
    protected static final String ADMIN = "admin";
    protected static final String ADMIN_TOKEN = "demo-admin";
    protected static final String VIEWER = "viewer";
    protected static final String VIEWER_TOKEN = "demo-viewer";

    protected ConsoleBrowser browser;

    @BeforeAll
    void startBrowser() {
        browser = new ConsoleBrowser("http://localhost:" + port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }
}
