package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoicePage;
import io.moxing.console.view.TenantViews.InvoiceRow;
import io.moxing.console.view.TenantViews.Invoices;
import java.util.List;

/**
 * A tenant's invoices: the issued ones and this month's draft, each opening as billing's printable page (the same
 * page {@code GET /v1/invoices/ID/html} answers). An invoice of another tenant is "not found", as in the API.
 */
final class InvoicePages {
    static final String PATH = "/console/tenant/invoices";
    /** The id under which this month's draft opens. */
    static final String DRAFT = "draft";
    /** The printable page brings its own inline style; it runs no script. */
    static final String PRINT_POLICY = Views.POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    private final BillingAdmin billing;
    private final Pages pages;

    InvoicePages(BillingAdmin billing, Pages pages) {
        this.billing = billing;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, ctx -> {
            String tenant = Pages.tenant(ctx);
            List<InvoiceRow> rows = billing.invoices().invoices(tenant).stream()
                    .map(i -> new InvoiceRow(i.id(), i.period(), i.total().toPlainString(), i.currency(), i.issuedAt()))
                    .toList();
            Invoice draft = billing.draft(tenant, BillingPeriod.containing(System.currentTimeMillis()));
            pages.render(ctx, "tenant/invoices.jte", new Invoices(pages.frame(ctx, "Invoices"), rows,
                    draft.total().toPlainString(), draft.currency()));
        });
        app.get(PATH + "/{id}", this::invoice);
    }

    private void invoice(Context ctx) {
        String tenant = Pages.tenant(ctx);
        String id = ctx.pathParam("id");
        Invoice invoice = DRAFT.equals(id) ? billing.draft(tenant, BillingPeriod.containing(System.currentTimeMillis()))
                : billing.invoices().invoice(id).filter(i -> i.tenant().equals(tenant))
                        .orElseThrow(() -> ConsoleError.notFound("invoice " + id));
        ctx.header("Content-Security-Policy", PRINT_POLICY);
        ctx.html(InvoicePage.render(invoice, invoice.id() == null ? List.of() : billing.invoices().creditNotes(invoice.id())));
    }
}
