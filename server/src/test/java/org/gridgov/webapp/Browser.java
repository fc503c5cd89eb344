package org.gridgov.webapp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Debian chromium for browser tests, one per test class: {@code @RegisterExtension
 * static final Browser browser = new Browser(TestServer::base);} chromedriver is
 * /usr/bin/chromedriver, set explicitly, so Selenium Manager never downloads anything
 * (SE_OFFLINE=true is also set by surefire). Flags as docs/web-map.md gives them; a fresh profile
 * directory per class; a fixed window size so pixels are comparable. Screenshots (explicit, and of
 * every failed test) go to server/target/screenshots/.
 */
public final class Browser
        implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {

    public static final Path CHROMIUM =
            Path.of(System.getProperty("gridgov.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER =
            Path.of(System.getProperty("gridgov.chromedriver", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final List<String> FLAGS =
            List.of(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--enable-unsafe-swiftshader",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--lang=zh-CN");

    private final java.util.function.Supplier<String> base;
    private final Dimension size;
    private WebDriver driver;
    private Path profile;
    private String className = "browser";

    /** base: the server's address, asked for when the browser starts (TestServer::base). */
    public Browser(java.util.function.Supplier<String> base) {
        this(base, new Dimension(1280, 800));
    }

    public Browser(java.util.function.Supplier<String> base, Dimension size) {
        this.base = base;
        this.size = size;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        className = context.getRequiredTestClass().getSimpleName();
        requireInstalled(CHROMIUM, CHROMEDRIVER);
        System.setProperty("SE_OFFLINE", "true");
        profile = Files.createTempDirectory("gridgov-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments(
                "--user-data-dir=" + profile, "--window-size=" + size.width + "," + size.height);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .withLogOutput(java.io.OutputStream.nullOutputStream())
                        .build();
        driver = new ChromeDriver(service, options);
        driver.manage()
                .timeouts()
                .pageLoadTimeout(Duration.ofSeconds(30))
                .scriptTimeout(Duration.ofSeconds(30));
        base.get(); // start the server before the first page
    }

    /** Fails with what to install when chromium or its driver is missing. */
    static void requireInstalled(Path chromium, Path chromedriver) {
        for (Path p : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(
                        p
                                + " is missing: the browser tests need Debian's chromium and chromedriver — "
                                + "apt-get install chromium chromium-driver (scripts/test installs them)");
            }
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null) {
            screenshot("FAILED-" + context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) driver.quit();
        } finally {
            driver = null;
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens the server's path (e.g. "/#/intake") with a clean slate: no language, no session. */
    public void openFresh(String path) {
        driver.get(base.get() + "/");
        js("localStorage.clear(); sessionStorage.clear();");
        open(path);
    }

    public void open(String path) {
        driver.get(base.get() + path);
        // a hash change alone does not reload: make sure the page is the one asked for
        js(
                "if (location.hash !== arguments[0]) location.hash = arguments[0];",
                path.contains("#") ? path.substring(path.indexOf('#')) : "");
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public WebElement waitFor(String css) {
        return until(
                d -> {
                    var found = d.findElements(By.cssSelector(css));
                    return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
                });
    }

    /** Waits until the element's text equals text; returns the element. */
    public WebElement waitForText(String css, String text) {
        return until(
                d -> {
                    var found = d.findElements(By.cssSelector(css));
                    return !found.isEmpty() && text.equals(found.get(0).getText().trim())
                            ? found.get(0)
                            : null;
                });
    }

    public <T> T until(ExpectedCondition<T> condition) {
        // a live re-draw may replace an element between finding and reading it: look again then
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    /** The map in the element with this id has drawn its grids (the performance mark is set). */
    public void waitForMap(String mapId) {
        until(
                d ->
                        "true"
                                        .equals(
                                                js(
                                                        "return document.getElementById(arguments[0])?.dataset.gridsRendered ?? null",
                                                        mapId))
                                ? true
                                : null);
    }

    /** Saves a PNG of the page as target/screenshots/{TestClass}-{name}.png and returns it. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(className + "-" + name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save screenshot " + name, e);
        }
    }
}
