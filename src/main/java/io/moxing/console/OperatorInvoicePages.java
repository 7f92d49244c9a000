package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.CreditNote;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoicePage;
import io.moxing.billing.Tenant;
import io.moxing.console.view.BusinessViews.InvoiceRow;
import io.moxing.console.view.BusinessViews.Invoices;
import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Invoices across tenants for the operator: the list (newest period first, paged), issuing a tenant's invoice for a
 * month that has ended, a credit note against one, and the printable page. Every change goes through
 * {@link BillingAdmin}, which audits it as it does for the admin API and the CLI.
 */
final class OperatorInvoicePages {
    static final String LIST = "/console/ops/invoices";
    private final BillingAdmin billing;
    private final Pages pages;

    OperatorInvoicePages(BillingAdmin billing, Pages pages) {
        this.billing = billing;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(LIST, this::list);
        app.post(LIST, ctx -> pages.act(ctx, LIST, () -> issue(ctx)));
        app.get(LIST + "/{id}", this::printable);
        app.post(LIST + "/{id}/credit", ctx -> pages.act(ctx, LIST, () -> credit(ctx)));
    }

    private void list(Context ctx) {
        Paging paging = Paging.of(ctx);
        List<Invoice> probed = paging.slice(billing.invoices().invoices(null));
        List<InvoiceRow> rows = paging.shown(probed).stream().map(i -> {
            BigDecimal credited = billing.invoices().creditNotes(i.id()).stream().map(CreditNote::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            return new InvoiceRow(i.id(), i.tenant(), i.period(), i.total().toPlainString(), i.currency(), i.issuedAt(),
                    credited.signum() == 0 ? "" : credited.toPlainString(), DeploymentPages.slug(i.id()));
        }).toList();
        String lastMonth = BillingPeriod.containing(System.currentTimeMillis()).month().minusMonths(1).toString();
        pages.render(ctx, "ops/invoices.jte", new Invoices(pages.frame(ctx, "Invoices"), rows, paging.pager(ctx, LIST, probed),
                billing.accounts().tenants().stream().map(Tenant::id).sorted().toList(), lastMonth));
    }

    private String issue(Context ctx) {
        String tenant = required(ctx, "tenant", "the tenant to invoice");
        BillingPeriod period = BillingPeriod.parse(required(ctx, "period", "the month to invoice, as 2026-10"));
        billing.tenant(tenant);
        boolean existed = billing.invoices().invoice(tenant, period.toString()).isPresent();
        Invoice invoice = billing.issue(Pages.actor(ctx), tenant, period, System.currentTimeMillis());
        return (existed ? "Already issued: " : "Issued ") + invoice.id() + ", " + invoice.total().toPlainString() + " "
                + invoice.currency() + ".";
    }

    private String credit(Context ctx) {
        String id = ctx.pathParam("id");
        String amount = required(ctx, "amount", "the amount to credit");
        BigDecimal value;
        try {
            value = new BigDecimal(amount.strip());
        } catch (NumberFormatException e) {
            throw new UserException("invalid_field", "the amount '" + amount + "' is not a number; write it as 12.50");
        }
        CreditNote note = billing.credit(Pages.actor(ctx), id, value, ctx.formParam("reason"), System.currentTimeMillis());
        return "Credit note " + note.id() + " gives back " + note.amount().toPlainString() + " " + note.currency() + " of " + id + ".";
    }

    private void printable(Context ctx) {
        String id = ctx.pathParam("id");
        Invoice invoice = billing.invoices().invoice(id).orElseThrow(() -> ConsoleError.notFound("invoice " + id));
        ctx.header("Content-Security-Policy", InvoicePages.PRINT_POLICY);
        ctx.html(InvoicePage.render(invoice, billing.invoices().creditNotes(id)));
    }

    private static String required(Context ctx, String field, String what) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) throw new UserException("missing_field", "give " + what + " (" + field + ")");
        return v.strip();
    }
}
