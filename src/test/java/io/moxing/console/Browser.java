package io.moxing.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver (never a driver or browser Selenium would download),
 * with a fresh profile; and the few things the console's tests do with it.
 */
final class Browser implements AutoCloseable {
    static final String DRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    /** Where the suite leaves its screenshots of the main pages, for the README. */
    static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    final ChromeDriver driver;
    private final String base;

    Browser(String base, Path profile) {
        this.base = base;
        System.setProperty("webdriver.chrome.driver", DRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(DRIVER).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    void open(String path) {
        driver.get(base + path);
    }

    /** Signs in through the form with a fresh browser state; lands on the role's dashboard. */
    void signIn(String secret) {
        driver.manage().deleteAllCookies();
        open("/console");
        driver.findElement(By.id("secret")).sendKeys(secret);
        driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        waitFor(By.id("sign-out"));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Clicks a control that submits a form and returns the flash message of the page it leads to. The page before
     * may hold a flash of its own: waiting for "a flash" alone could find the old one, or catch it as it is torn down.
     */
    WebElement submitForFlash(String css) {
        WebElement before = driver.findElement(By.tagName("html"));
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> replaced(before));
        return waitFor(By.id("flash"));
    }

    /**
     * Whether {@code element}'s page has been replaced. During the navigation chromedriver may answer "Node with given
     * id does not belong to the document" rather than a stale reference (it failed a fresh clone's suite once); both
     * say the old document is gone.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) return true;
            throw e;
        }
    }

    /** The session cookie's value (HttpOnly: no script of the page can read it, the driver can). */
    String sessionCookie() {
        return driver.manage().getCookieNamed(Cookies.SESSION).getValue();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
