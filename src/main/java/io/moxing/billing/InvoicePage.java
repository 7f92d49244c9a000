package io.moxing.billing;

import io.moxing.chart.HtmlPage;
import java.util.ArrayList;
import java.util.List;

/** An invoice (and its credit notes) as a printable HTML page. */
public final class InvoicePage {
    private InvoicePage() {}

    public static String render(Invoice invoice, List<CreditNote> credits) {
        HtmlPage page = new HtmlPage((invoice.id() == null ? "Draft invoice" : "Invoice " + invoice.id()) + " - " + invoice.tenant());
        page.paragraph("Period " + invoice.period() + " (" + invoice.periodStart() + " to " + invoice.periodEnd() + ")"
                + (invoice.issuedAt() == null ? "; not issued: the amounts may still change" : "; issued " + invoice.issuedAt()));
        List<List<String>> rows = new ArrayList<>();
        for (InvoiceLine l : invoice.lines()) {
            rows.add(List.of(l.description(), l.plan(), l.quantity().toPlainString() + " " + l.unit(), l.unitPrice().toPlainString(),
                    l.amount().toPlainString()));
        }
        rows.add(List.of("Total", "", "", "", invoice.total().toPlainString() + " " + invoice.currency()));
        page.table(List.of("Item", "Plan", "Quantity", "Unit price", "Amount (" + invoice.currency() + ")"), rows);
        if (!credits.isEmpty()) {
            page.heading("Credit notes");
            page.table(List.of("Credit note", "Issued", "Reason", "Amount"), credits.stream()
                    .map(c -> List.of(c.id(), c.issuedAt(), c.reason(), "-" + c.amount().toPlainString() + " " + c.currency())).toList());
        }
        return page.render();
    }
}
