package billswitch.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs) driving the console of the
 * test server. One per test class ({@link ConsoleBrowserTest}); never Selenium Manager, never the network.
 */
public final class ConsoleBrowser implements AutoCloseable {
    public static final int DESKTOP_WIDTH = 1280;
    public static final int PHONE_WIDTH = 375;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final String baseUrl;
    private final ChromeDriver driver;

    public ConsoleBrowser(String baseUrl) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The console's browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run installs them).");
        }
        this.baseUrl = baseUrl;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + DESKTOP_WIDTH + ",900", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a console path ("/console/payments?..."). */
    public ConsoleBrowser open(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    public ConsoleBrowser logIn(String name, String token) {
        open("/console/login");
        driver.findElement(By.id("username")).sendKeys(name);
        driver.findElement(By.id("password")).sendKeys(token);
        return submit(driver.findElement(By.cssSelector("form button[type=submit]")));
    }

    /** Logs out through the page's own logout form (a POST with its CSRF token). */
    public ConsoleBrowser logOut() {
        return submit(driver.findElement(By.cssSelector("form.who button")));
    }

    /** Clicks a form's button and waits until the next page has replaced this one. */
    public ConsoleBrowser submit(WebElement button) {
        WebElement page = driver.findElement(By.tagName("html"));
        button.click();
        return awaitNextPage(page);
    }

    /**
     * Waits until the page is replaced. Chromium may answer a look at a page being replaced with "node does not
     * belong to the document" rather than a stale element: asked again, it says stale.
     */
    public ConsoleBrowser awaitNextPage(WebElement page) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.WebDriverException.class)
                .until(ExpectedConditions.stalenessOf(page));
        return this;
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    /** Waits (up to 20 s) until the element is present, e.g. after a form was sent or a chart was drawn. */
    public WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    public String path() {
        String url = driver.getCurrentUrl();
        return url.substring(baseUrl.length());
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** The window's width: {@link #DESKTOP_WIDTH} or {@link #PHONE_WIDTH}. */
    public ConsoleBrowser width(int width) {
        driver.manage().window().setSize(new Dimension(width, width == PHONE_WIDTH ? 812 : 900));
        return this;
    }

    /** Whether the page is as wide as the window: nothing sticks out sideways (a page that works on a phone). */
    public boolean fitsTheWindow() {
        // A page's scripts (Chart.js) resize what they drew a moment after the window changed: wait for it, a little.
        boolean fits;
        try {
            fits = new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> {
                Object overflow = driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                return overflow instanceof Number n && n.longValue() <= 1;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            fits = false;
        }
        if (!fits) {
            System.err.println("Sticks out of " + driver.getCurrentUrl() + ": " + driver.executeScript("""
                    var w = document.documentElement.clientWidth, out = [];
                    document.querySelectorAll('body *').forEach(function (e) {
                      var r = e.getBoundingClientRect();
                      var inScroller = e.parentElement && e.parentElement.closest('.table-wrap, pre');
                      if (r.right > w + 1 && !inScroller) out.push(e.tagName + '#' + e.id + '.' + e.className + ' right=' + r.right);
                    });
                    return out.slice(0, 15).join(' | ');"""));
        }
        return fits;
    }

    /** Saves what the browser shows as docs/console/{name}.png in the repository (the README's screenshots). */
    public Path screenshot(String name) {
        return screenshot(name, 900);
    }

    /** As {@link #screenshot(String)}, the window {@code height} pixels tall at the desktop's width for it. */
    public Path screenshot(String name, int height) {
        Dimension was = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(DESKTOP_WIDTH, height));
        try {
            // Tests run from the repository's root (surefire's workingDirectory); from the module's directory otherwise.
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            Path root = Files.isDirectory(dir.resolve("billswitch-server")) ? dir : dir.getParent();
            Path docs = root.resolve("docs/console");
            Files.createDirectories(docs);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = docs.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(was);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
