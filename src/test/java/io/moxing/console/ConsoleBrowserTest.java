package io.moxing.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Invoice;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.train.TrainResult;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against a real server on port 0, with its state in a real SQLite file:
 * the shared cnn-28 (an image classifier, with its training run) and the shared tiny language model deployed, two
 * tenants on a subscription (one named like a script), and last month's invoice issued. One server and one browser
 * serve every test; the failed sign-ins go last, since they throttle this address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Actor ADMIN = new Actor("test", "junit");
    private static final String SCRIPT_NAME = "<script>alert(1)</script>";
    @TempDir static Path tmp;
    private static BillingAdmin billing;
    private static SqlDeployments deployments;
    private static ModelServer server;
    private static Browser browser;
    private static String base;
    private static String adminToken;
    private static String acmeKey;
    private static String rivalKey;
    private static Invoice acmeInvoice;
    private static TrainResult cnn;
    private static Path shoe;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cnn = SharedHome.cnn();
        TrainResult poet = SharedHome.poet();
        ModelRegistry registry = new ModelRegistry(SharedHome.home().models());
        Database db = TestDatabases.fresh("sqlite", tmp);
        deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(cnn.model() + ":" + cnn.version(), "cnn-28", "production", 100, 16, 2, 1, registry));
        deployments.put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 1, 0, 1, registry));
        billing = SqlBilling.open(db);
        adminToken = billing.newAdminToken(ADMIN, System.currentTimeMillis());
        billing.createPlan(ADMIN, Plan.subscription("pro", "USD", new BigDecimal("49.00"), 1000, new BigDecimal("0.001")));
        long twoMonthsAgo = System.currentTimeMillis() - 62L * 86_400_000;
        billing.createTenant(ADMIN, "acme", "Acme Corp", "pro", twoMonthsAgo);
        billing.createTenant(ADMIN, "rival", SCRIPT_NAME, "pro", twoMonthsAgo);
        acmeKey = billing.issueKey(ADMIN, "acme", "ops", null, null, null, null, System.currentTimeMillis()).plaintext();
        rivalKey = billing.issueKey(ADMIN, "rival", "ops", null, null, null, null, System.currentTimeMillis()).plaintext();
        acmeInvoice = billing.issue(ADMIN, "acme", new BillingPeriod(YearMonth.now(ZoneOffset.UTC).minusMonths(1)),
                System.currentTimeMillis());
        server = new ModelServer(SharedHome.home(), deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 60_000, 64, 100), billing);
        server.extend(new Console(SharedHome.home(), billing, deployments, server)).start();
        base = "http://127.0.0.1:" + server.port();
        shoe = tmp.resolve("shoe.png");
        Files.write(shoe, Predictions.shoe());
        browser = new Browser(base, Files.createDirectories(tmp.resolve("chromium-profile")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void theSignInFormIsServedAndSecured() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("id=\"sign-in\""), form.body());
        assertTrue(form.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        String cookie = form.headers().allValues("Set-Cookie").get(0);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"), cookie);
        HttpResponse<String> chart = http.send(HttpRequest.newBuilder(URI.create(base + "/console/assets/chart.umd.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().contains("Chart"), "Chart.js comes from its webjar");
    }

    @Test
    @Order(2)
    void theOperatorSeesTheRunDeploysAVersionAndMovesItsTrafficSplit() throws Exception {
        browser.signIn(adminToken);
        String dashboard = browser.text("main");
        assertTrue(dashboard.contains(cnn.model() + ":" + cnn.version()), "the trained model is listed:\n" + dashboard);
        assertTrue(dashboard.contains(cnn.runId()), "its run is listed:\n" + dashboard);
        browser.screenshot("operator-dashboard");

        browser.open("/console/ops/deploy");
        new Select(browser.find("#model")).selectByValue(cnn.model() + ":" + cnn.version());
        browser.find("#name").sendKeys("cnn-28");
        browser.find("#alias").clear();
        browser.find("#alias").sendKeys("canary");
        assertTrue(browser.submitForFlash("#deploy button[type=submit]").getText().startsWith("Deployed"), browser.text("#flash"));
        assertEquals(100, deployments.find("cnn-28", "canary").orElseThrow().weight());

        // the slider, by keyboard: Home is 0, then 25 steps right
        WebElement slider = browser.find("#weight-cnn-28-canary");
        slider.sendKeys(Keys.HOME);
        for (int i = 0; i < 25; i++) slider.sendKeys(Keys.ARROW_RIGHT);
        assertEquals("25", browser.text("#weight-value-cnn-28-canary"));
        browser.submitForFlash("#save-cnn-28-canary");
        assertEquals(25, deployments.find("cnn-28", "canary").orElseThrow().weight());
        assertEquals("20", browser.text("#share-cnn-28-canary"), "25 of 125: a fifth of the traffic");
        browser.screenshot("operator-deployments");

        // a rollback with nothing before it is refused with the domain's own reason
        assertTrue(browser.submitForFlash("#rollback-cnn-28-canary").getText().contains("has served only"), browser.text("#flash"));
        assertTrue(billing.audit().recent(10).stream().anyMatch(e -> e.action().equals("deployment.put")
                && e.detail().contains("weight=25")), "the weight change is audited");

        browser.open("/console/ops/tenants");
        assertEquals(SCRIPT_NAME, browser.text("#tenant-rival .name"), "a name that looks like a script is shown as text");
        assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert());
        assertTrue(browser.driver.getPageSource().contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    @Order(3)
    void aTenantCreatesAKeyThatWorksOnTheApiAndRevokesIt() throws Exception {
        browser.signIn(acmeKey);
        assertEquals("Acme Corp", browser.text("#who"));
        browser.open("/console/tenant/keys");
        browser.find("#key-name").sendKeys("backend");
        browser.find("input[name=models][value='cnn-28']").click();
        browser.find("#create").click();
        String key = browser.waitFor(By.id("new-key")).getText().strip();
        assertTrue(key.startsWith("mx_live_"), key);

        HttpResponse<String> predicted = predict(key, "cnn-28");
        assertEquals(200, predicted.statusCode(), predicted.body());
        assertEquals(403, predict(key, "poet").statusCode(), "the key is restricted to cnn-28");

        browser.open("/console/tenant/keys");
        assertFalse(browser.driver.getPageSource().contains(key), "the secret is shown once, never again");
        browser.screenshot("tenant-keys");
        String id = io.moxing.billing.Secrets.keyId(key);
        assertTrue(browser.submitForFlash("#key-" + id + " form button").getText().startsWith("Revoked"));
        assertEquals(401, predict(key, "cnn-28").statusCode(), "a revoked key no longer works");
    }

    @Test
    @Order(4)
    void thePlaygroundClassifiesAnImageAndStreamsAnAnswerMeteredToTheTenant() throws Exception {
        browser.signIn(acmeKey);
        long before = billing.ledger().totals("acme", 0, Long.MAX_VALUE).requests();
        String expected = Json.MAPPER.readTree(predict(acmeKey, "cnn-28").body()).get("predictions").get(0).get("label").asText();
        browser.open("/console/tenant/playground");
        new Select(browser.find("#image-model")).selectByValue("cnn-28");
        browser.find("#image").sendKeys(shoe.toString());
        browser.find("#classify-button").click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(60)).until(d ->
                d.findElement(By.id("prediction-label")).isDisplayed() || d.findElement(By.id("classify-error")).isDisplayed());
        assertFalse(browser.find("#classify-error").isDisplayed(), browser.text("#classify-error"));
        assertEquals(expected, browser.text("#prediction-label"));
        assertFalse(browser.driver.findElements(By.cssSelector("#probabilities li")).isEmpty(), "probability bars");
        assertNotNull(browser.waitFor(By.id("heatmap")).getAttribute("src"), "the explanation's heat map");
        browser.driver.executeScript("document.getElementById('classify-title').scrollIntoView()");
        browser.screenshot("tenant-playground");

        browser.find("#prompt").sendKeys("春");
        browser.find("#chat-button").click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(60))
                .until(d -> d.findElement(By.id("answer-status")).getText().startsWith("done"));
        assertFalse(browser.text("#answer").isBlank(), "the answer was streamed in: " + browser.text("#answer-status"));

        // predict, explain and the chat went through the API under the tenant's own console key
        long deadline = System.currentTimeMillis() + 10_000;  // a stream is metered as it ends, maybe after its last byte
        while (billing.ledger().totals("acme", 0, Long.MAX_VALUE).requests() < before + 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before + 4, billing.ledger().totals("acme", 0, Long.MAX_VALUE).requests());
        assertEquals(1, billing.keys("acme").stream().filter(k -> k.name().equals(ConsoleKeys.NAME)).count());
        assertFalse(browser.driver.getPageSource().contains("mx_live_"), "the page never holds a key");
    }

    @Test
    @Order(5)
    void aTenantSeesItsDashboardAndOpensItsInvoice() throws Exception {
        browser.signIn(acmeKey);
        assertTrue(browser.text("#spend").endsWith("USD"), browser.text("#spend"));
        browser.screenshot("tenant-dashboard");
        browser.open("/console/tenant/invoices");
        browser.driver.findElement(By.linkText(acmeInvoice.id())).click();
        String page = browser.text("body");
        assertTrue(page.contains("Invoice " + acmeInvoice.id()), page);
        assertTrue(page.contains(acmeInvoice.total().toPlainString()), page);

        // at a phone's width nothing spills sideways
        browser.resize(375, 800);
        browser.open("/console/tenant");
        Object overflow = browser.driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        browser.resize(1280, 900);
        assertEquals(0L, ((Number) overflow).longValue(), "horizontal overflow at 375 px");
    }

    @Test
    @Order(6)
    void anotherTenantCannotReachTheFirstTenantsThingsByUrl() throws Exception {
        browser.signIn(rivalKey);
        assertEquals(SCRIPT_NAME, browser.text("#who"), "the header shows the name as text");
        assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert());
        ConsoleClient rival = ConsoleClient.withSession(base, browser.sessionCookie());
        assertEquals(404, rival.get("/console/tenant/invoices/" + acmeInvoice.id()).statusCode());
        String acmeKeyId = io.moxing.billing.Secrets.keyId(acmeKey);
        String csrf = rival.csrf("/console/tenant/keys");
        assertEquals(404, rival.post("/console/tenant/keys/" + acmeKeyId + "/revoke", "_csrf", csrf).statusCode());
        assertEquals(404, rival.get("/console/ops").statusCode(), "an operator's page does not exist for a tenant");
        assertEquals(200, predict(acmeKey, "cnn-28").statusCode(), "acme's key is untouched");
    }

    @Test
    @Order(7)
    void aPostWithoutItsCsrfTokenIsRefused() throws Exception {
        ConsoleClient acme = new ConsoleClient(base);
        assertEquals(303, acme.signIn(acmeKey).statusCode());
        int keys = billing.keys("acme").size();
        HttpResponse<String> forged = acme.post("/console/tenant/keys", "name", "forged");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("csrf_token_invalid"), forged.body());
        assertEquals(403, acme.post("/console/tenant/keys", "name", "forged", "_csrf", "not-the-token").statusCode());
        assertEquals(keys, billing.keys("acme").size(), "nothing was created");
        assertEquals(200, acme.post("/console/tenant/keys", "name", "real", "_csrf", acme.csrf("/console/tenant/keys")).statusCode());
        assertEquals(keys + 1, billing.keys("acme").size());
    }

    @Test
    @Order(8)
    void aLimitedKeyCannotSignInAndMakeItselfAnUnlimitedOne() throws Exception {
        long now = System.currentTimeMillis();
        String[] limited = {
                billing.issueKey(ADMIN, "acme", "one-model", Set.of("cnn-28"), null, null, null, now).plaintext(),
                billing.issueKey(ADMIN, "acme", "slow", null, 0.2, null, null, now).plaintext(),
                billing.issueKey(ADMIN, "acme", "temporary", null, null, null, now + 86_400_000L, now).plaintext()};
        int keys = billing.keys("acme").size();
        for (String key : limited) {
            ConsoleClient holder = new ConsoleClient(base);
            HttpResponse<String> refused = holder.signIn(key);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("sign in with an unrestricted key"), refused.body());
            assertEquals(303, holder.get("/console/tenant/keys").statusCode(), "no session was opened");
        }
        assertEquals(keys, billing.keys("acme").size());
        assertEquals(limited.length, billing.audit().recent(100).stream()
                .filter(e -> e.action().equals("console.sign_in_refused")).count(), "each refusal is audited");
        server.reconcile(); // the API's admission reads keys made this moment at most five times a second
        assertEquals(200, predict(limited[0], "cnn-28").statusCode(), "the limited key still works on the API");
    }

    @Test
    @Order(9)
    void signingOutEndsTheSession() throws Exception {
        browser.signIn(acmeKey);
        String cookie = browser.sessionCookie();
        ConsoleClient old = ConsoleClient.withSession(base, cookie);
        assertEquals(200, old.get("/console/tenant").statusCode());
        browser.find("#sign-out").click();
        browser.waitFor(By.id("sign-in"));
        HttpResponse<String> after = old.get("/console/tenant");
        assertEquals(303, after.statusCode(), "the old cookie opens nothing");
        assertEquals("/console", after.headers().firstValue("Location").orElseThrow());
    }

    @Test
    @Order(10)
    void failedSignInsAreAuditedAndThrottled() throws Exception {
        ConsoleClient stranger = new ConsoleClient(base);
        for (int i = 0; i < SignInThrottle.FAILURES; i++) {
            assertEquals(401, stranger.signIn("mx_live_000000000000_guess" + i).statusCode());
        }
        HttpResponse<String> refused = stranger.signIn(acmeKey);
        assertEquals(429, refused.statusCode(), "even a good key waits once the address is throttled");
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(SignInThrottle.FAILURES, billing.audit().recent(100).stream()
                .filter(e -> e.action().equals("console.sign_in_failed")).count());
    }

    private HttpResponse<String> predict(String key, String model) throws Exception {
        return Predictions.classify(base, key, model);
    }
}
