package io.moxing.console;

import io.javalin.Javalin;
import io.moxing.billing.BillingAdmin;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.Deployments;
import io.moxing.http.ModelServer;
import io.moxing.http.RouteExtension;
import io.moxing.privacy.DataKey;
import io.moxing.privacy.RecordCipher;
import io.moxing.registry.ModelRegistry;
import java.util.function.Supplier;

/**
 * The web console, served by {@code moxing serve} under {@value #PATH} beside the API: added to a metered
 * {@link ModelServer} before it starts ({@code server.extend(new Console(...))}). It reads and changes the same state
 * as the API and the CLI, through the same services.
 */
public final class Console implements RouteExtension {
    public static final String PATH = "/console";
    private final MoxingHome home;
    private final BillingAdmin billing;
    private final Deployments deployments;
    private final ModelServer server;

    /** The console of {@code server}, whose state is {@code home}'s registry, these deployments and this billing. */
    public Console(MoxingHome home, BillingAdmin billing, Deployments deployments, ModelServer server) {
        this.home = home;
        this.billing = billing;
        this.deployments = deployments;
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        ModelRegistry registry = new ModelRegistry(home.models());
        SessionStore sessions = new SessionStore();
        Credentials credentials = new Credentials(billing);
        Views views = new Views();
        Pages pages = new Pages(sessions, views);
        TenantModels models = new TenantModels(deployments, registry, billing.accounts());
        // the server's port is known once it listens, after the routes are registered
        Supplier<String> baseUrl = server::localUrl;

        app.before(new Guard(sessions, credentials));
        app.exception(ConsoleError.class, views::error);
        new Assets().register(app);
        new SignIn(sessions, credentials, billing.audit(), views).register(app);
        new OperatorPages(home, registry, deployments, billing, pages).register(app);
        new DeploymentPages(deployments, registry, billing, server::reconcile, pages).register(app);
        new TenantPages(billing, models, baseUrl, pages).register(app);
        new KeyPages(billing, models, pages, server::reconcile).register(app);
        new InvoicePages(billing, pages).register(app);
        VersionFacts versions = new VersionFacts(registry);
        new RunPages(home.runs(), versions, pages).register(app);
        new ModelPages(registry, versions, pages).register(app);
        new JobPages(server.jobs(), billing.audit(), pages).register(app);
        new FeedbackPages(server.feedback(), deployments, pages).register(app);
        new UsagePages(billing, pages).register(app);
        new OperatorInvoicePages(billing, pages).register(app);
        new EconomicsPages(billing, pages).register(app);
        new AuditPages(billing.audit(), pages).register(app);
        new HealthPages(new HealthSeries(server.metrics()::snapshot), pages).register(app);
        new Playground(models, new ConsoleKeys(billing, new RecordCipher(DataKey.of(home)), server::reconcile), baseUrl, pages).register(app);
    }
}
