package io.moxing.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Plan;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.eval.EvaluateJobHandler;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobQueue;
import io.moxing.jobs.JobState;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import io.moxing.store.SqlJobs;
import io.moxing.train.EpochMetrics;
import io.moxing.train.RunDirectory;
import io.moxing.train.TrainResult;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's pages in a real headless Chromium against a real server on port 0 (started, as {@code moxing serve}
 * starts it, with background jobs and feedback), on a data directory of the test's own: the shared cnn-28 run and
 * version, a second version fine-tuned from it, a run still training, two tenants, and 10,000 usage records written
 * through the ledger. One server and one browser serve every test of the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOperatorBrowserTest {
    private static final Actor ADMIN = new Actor("test", "junit");
    /** Every operator page by URL, for the role and width checks. */
    private static final List<String> PAGES = List.of("/console/ops/runs", "/console/ops/models", "/console/ops/jobs",
            "/console/ops/feedback", "/console/ops/usage", "/console/ops/invoices", "/console/ops/economics",
            "/console/ops/audit", "/console/ops/health");
    private static final int USAGE_RECORDS = 10_000;
    @TempDir static Path tmp;
    private static MoxingHome home;
    private static BillingAdmin billing;
    private static JobQueue jobs;
    private static ModelServer server;
    private static Browser browser;
    private static String base;
    private static String adminToken;
    private static String acmeKey;
    private static TrainResult cnn;
    private static String secondVersion;
    private static RunDirectory training;

    @BeforeAll
    static void start() throws Exception {
        cnn = SharedHome.cnn();
        home = SharedHome.withSharedData(tmp.resolve("home"));
        secondVersion = OperatorState.copyWithSecondVersion(SharedHome.home(), home, cnn);
        training = OperatorState.trainingRun(home, cnn, 3);
        Database db = TestDatabases.fresh("sqlite", tmp);
        SqlDeployments deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(cnn.model() + ":" + cnn.version(), "cnn-28", "production", 100, 16, 2, 1,
                new ModelRegistry(home.models())));
        billing = SqlBilling.open(db);
        adminToken = billing.newAdminToken(ADMIN, System.currentTimeMillis());
        billing.createPlan(ADMIN, Plan.subscription("pro", "USD", new BigDecimal("49.00"), 1000, new BigDecimal("0.001")));
        long twoMonthsAgo = System.currentTimeMillis() - 62L * 86_400_000;
        billing.createTenant(ADMIN, "acme", "Acme Corp", "pro", twoMonthsAgo);
        billing.createTenant(ADMIN, "beta", "Beta <b>Ltd</b>", "pro", twoMonthsAgo);
        acmeKey = billing.issueKey(ADMIN, "acme", "ops", null, null, null, null, System.currentTimeMillis()).plaintext();
        billing.issue(ADMIN, "acme", new BillingPeriod(YearMonth.now(ZoneOffset.UTC).minusMonths(1)), System.currentTimeMillis());
        OperatorState.usage(billing.ledger(), USAGE_RECORDS, 10, List.of("acme", "beta"));
        jobs = new JobQueue(new SqlJobs(db)).register(JobKind.EVALUATE, new EvaluateJobHandler(home));
        server = new ModelServer(home, deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 60_000, 64, 100), billing,
                new SqlFeedback(db), jobs);
        server.extend(new Console(home, billing, deployments, server)).start();
        base = "http://127.0.0.1:" + server.port();
        browser = new Browser(base, java.nio.file.Files.createDirectories(tmp.resolve("chromium-profile")));
        browser.signIn(adminToken);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void aTrainingRunsCurvesAreDrawnAndFollowItsEpochs() throws Exception {
        browser.open("/console/ops/runs");
        browser.driver.findElement(By.linkText(training.read().id())).click();
        assertEquals("running", browser.text("#run-status"));
        List<EpochMetrics> history = new ArrayList<>();
        OperatorState.endEpoch(training, history, 1, false);
        waitUntil("the first epoch is drawn", () -> points("curves") == 4);
        OperatorState.endEpoch(training, history, 2, false);
        OperatorState.endEpoch(training, history, 3, true);
        // the page polls every few seconds: the last epochs appear without a reload, then it stops polling
        waitUntil("three epochs are drawn", () -> points("curves") == 12 && browser.text("#run-status").equals("completed"));
        assertEquals("3/3", browser.text("#run-epochs"));
        browser.screenshot("operator-run");

        browser.open("/console/ops/runs/" + cnn.runId());
        assertTrue(points("curves") > 0, "the finished run's curves are drawn");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#confusion tbody tr")).size(), "a row per class");
        browser.find("#report").click();
        assertTrue(browser.text("body").contains("Run " + cnn.runId()), "the run's own HTML report");
    }

    @Test
    @Order(2)
    void theOperatorComparesTwoVersions() throws Exception {
        browser.open("/console/ops/models");
        String first = cnn.model() + ":" + cnn.version();
        new Select(browser.find("#compare-a")).selectByValue(first);
        new Select(browser.find("#compare-b")).selectByValue(secondVersion);
        browser.find("#compare button[type=submit]").click();
        browser.waitFor(By.id("compare-metrics"));
        assertTrue(browser.find("#compare-metrics").getText().contains("test_accuracy"), browser.text("#compare-metrics"));
        assertEquals("better", rowClass("#compare-metrics", "test_accuracy"), "5 points more accuracy");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#compare-classes tbody tr")).size());
        assertEquals(9, browser.driver.findElements(By.cssSelector("#compare-classes tr.better")).size());
        assertEquals(1, browser.driver.findElements(By.cssSelector("#compare-classes tr.worse")).size(), "the class set to 0");
        browser.screenshot("operator-models-compare");

        browser.driver.findElement(By.linkText(secondVersion)).click();
        assertTrue(browser.text("#parents").contains(first), "the parent version: " + browser.text("#parents"));
        assertTrue(browser.text("#provenance").contains("Data set SHA-256"), browser.text("#provenance"));
    }

    @Test
    @Order(3)
    void usageOfTenThousandRecordsIsChartedAndServedFast() throws Exception {
        String from = LocalDate.now(ZoneOffset.UTC).minusDays(10).toString();
        String path = "/console/ops/usage?from=" + from + "&to=" + LocalDate.now(ZoneOffset.UTC);
        browser.open(path);
        assertEquals(Integer.toString(USAGE_RECORDS), browser.text("#usage-requests"));
        for (String chart : List.of("usage-by-day", "usage-by-model", "usage-by-tenant")) {
            assertTrue(points(chart) > 0, chart + " is drawn");
        }
        assertEquals(2, browser.driver.findElements(By.cssSelector("#usage-tenants tbody tr")).size());
        assertTrue(browser.text("#usage-tenants").contains("Beta <b>Ltd</b>"), "a name is shown as text");
        browser.screenshot("operator-usage");

        // the server's time for the page: the loopback round trip, after a warm-up, median of nine
        ConsoleClient admin = new ConsoleClient(base);
        assertEquals(303, admin.signIn(adminToken).statusCode());
        for (int i = 0; i < 5; i++) assertEquals(200, admin.get(path).statusCode());
        long[] ms = new long[9];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> page = admin.get(path);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, page.statusCode());
        }
        Arrays.sort(ms);
        System.out.printf("usage page over %d records: median %d ms (min %d, max %d)%n", USAGE_RECORDS, ms[4], ms[0], ms[8]);
        assertTrue(ms[4] < 200, "median " + ms[4] + " ms over " + USAGE_RECORDS + " records: " + Arrays.toString(ms));
    }

    @Test
    @Order(4)
    void theOperatorIssuesAnInvoiceOpensItAndCreditsIt() throws Exception {
        browser.open("/console/ops/invoices");
        new Select(browser.find("#issue-tenant")).selectByValue("beta");
        String flash = browser.submitForFlash("#issue button[type=submit]").getText();
        String id = "INV-" + YearMonth.now(ZoneOffset.UTC).minusMonths(1) + "-beta";
        assertTrue(flash.startsWith("Issued " + id), flash);
        browser.find("#amount-" + id).sendKeys("1.50");
        browser.find("#reason-" + id).sendKeys("a day down");
        assertTrue(browser.submitForFlash("#invoice-" + id + " form button").getText().startsWith("Credit note"), browser.text("#flash"));
        browser.driver.findElement(By.linkText(id)).click();
        String page = browser.text("body");
        assertTrue(page.contains("Invoice " + id) && page.contains("1.50"), page);
        assertTrue(billing.audit().recent(10).stream().anyMatch(e -> e.action().equals("invoice.issue") && e.target().equals(id)));
        assertTrue(billing.audit().recent(10).stream().anyMatch(e -> e.action().equals("invoice.credit")));
    }

    @Test
    @Order(5)
    void theAuditLogIsFilteredAndItsChainVerified() throws Exception {
        browser.open("/console/ops/audit");
        assertTrue(browser.text("#chain").startsWith("Hash chain intact"), browser.text("#chain"));
        browser.find("#action").sendKeys("invoice.issue");
        browser.find("#period button[type=submit]").click();
        browser.waitFor(By.id("audit"));
        List<String> actions = browser.driver.findElements(By.cssSelector("#audit tbody td code")).stream()
                .map(e -> e.getText()).distinct().toList();
        assertEquals(List.of("invoice.issue"), actions);
        assertEquals(2, browser.driver.findElements(By.cssSelector("#audit tbody tr")).size(), "acme's at start, beta's from the page");
        browser.open("/console/ops/economics");
        assertTrue(points("economics-volume") > 0);
        assertEquals("logarithmic", browser.driver.executeScript(
                "return Chart.getChart(document.getElementById('economics-volume')).scales.x.type"), "volume spans decades");
    }

    @Test
    @Order(6)
    void healthIsDrawnFromTheServersOwnMetrics() throws Exception {
        browser.open("/console/ops/health");
        // traffic while the page samples: predictions through the API, metered as any
        java.util.concurrent.atomic.AtomicBoolean drawn = new java.util.concurrent.atomic.AtomicBoolean();
        Thread traffic = new Thread(() -> {
            long end = System.currentTimeMillis() + 20_000;
            while (!drawn.get() && System.currentTimeMillis() < end) {
                try {
                    Predictions.classify(base, acmeKey, "cnn-28");
                } catch (Exception e) {
                    return;
                }
            }
        });
        traffic.start();
        try {
            waitUntil("requests per second are drawn", () -> nonZero("health-rate") >= 2 && nonZero("health-latency") >= 2);
        } finally {
            drawn.set(true);
            traffic.join();
        }
        for (String chart : List.of("health-batch", "health-queue")) assertTrue(points(chart) > 0, chart);
        browser.screenshot("operator-health");
    }

    @Test
    @Order(7)
    void aJobIsListedAndCancelledAndFeedbackIsListed() throws Exception {
        Job job = jobs.submit(JobKind.EVALUATE, JsonNodeFactory.instance.objectNode().put("model", secondVersion)
                .put("data", "fashion-mnist"));
        jobs.store().log(job.id(), java.time.Instant.now(), "queued by the test <script>", 100);
        browser.open("/console/ops/jobs");
        browser.driver.findElement(By.linkText(job.id())).click();
        assertTrue(browser.text("#job-log").contains("queued by the test <script>"), browser.text("#job-log"));
        assertTrue(browser.submitForFlash("#cancel-job").getText().startsWith("Cancelled"), browser.text("#flash"));
        assertEquals(JobState.CANCELLED, jobs.get(job.id()).state());
        assertTrue(billing.audit().recent(5).stream().anyMatch(e -> e.action().equals("job.cancel") && e.target().equals(job.id())));
        browser.open("/console/ops/feedback");
        assertTrue(browser.text("main").contains("cnn-28"), browser.text("main"));
    }

    @Test
    @Order(8)
    void everyOperatorPageFitsAPhone() {
        browser.resize(375, 800);
        try {
            for (String page : PAGES) {
                browser.open(page);
                Object overflow = browser.driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertEquals(0L, ((Number) overflow).longValue(), "horizontal overflow at 375 px on " + page);
                assertEquals(0L, browser.driver.executeScript("return [...document.querySelectorAll('main input:not([type=hidden]),"
                        + " main select')].filter(e => !e.labels || e.labels.length === 0).length;"), "unlabelled controls on " + page);
            }
        } finally {
            browser.resize(1280, 900);
        }
    }

    @Test
    @Order(9)
    void aTenantFindsNoOperatorPageAndAPostNeedsItsToken() throws Exception {
        ConsoleClient tenant = new ConsoleClient(base);
        assertEquals(303, tenant.signIn(acmeKey).statusCode());
        for (String page : PAGES) assertEquals(404, tenant.get(page).statusCode(), page);
        assertEquals(404, tenant.get("/console/ops/runs/" + cnn.runId()).statusCode());
        assertEquals(404, tenant.get("/console/ops/health/series").statusCode());
        String csrf = tenant.csrf("/console/tenant");
        assertEquals(404, tenant.post("/console/ops/invoices", "_csrf", csrf, "tenant", "acme", "period", "2020-01").statusCode());

        ConsoleClient admin = new ConsoleClient(base);
        assertEquals(303, admin.signIn(adminToken).statusCode());
        int invoices = billing.invoices().invoices(null).size();
        HttpResponse<String> forged = admin.post("/console/ops/invoices", "tenant", "acme",
                "period", YearMonth.now(ZoneOffset.UTC).minusMonths(2).toString());
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("csrf_token_invalid"));
        assertEquals(invoices, billing.invoices().invoices(null).size(), "nothing was issued");
    }

    /** Points drawn on a chart, over its series (the script counts them when it draws). */
    private static long points(String canvasId) {
        Object n = browser.driver.executeScript("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + " return c ? c.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0) : -1;", canvasId);
        return ((Number) n).longValue();
    }

    /** Points drawn above zero on a chart's first series. */
    private static long nonZero(String canvasId) {
        Object n = browser.driver.executeScript("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + " return c ? c.data.datasets[0].data.filter(v => v !== null && v > 0).length : -1;", canvasId);
        return ((Number) n).longValue();
    }

    private static String rowClass(String table, String name) {
        return browser.driver.findElements(By.cssSelector(table + " tbody tr")).stream()
                .filter(r -> r.findElement(By.tagName("th")).getText().equals(name)).findFirst().orElseThrow().getAttribute("class");
    }

    private static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage(what).until(d -> condition.getAsBoolean());
    }
}
