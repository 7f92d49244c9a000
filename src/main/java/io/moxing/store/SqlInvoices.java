package io.moxing.store;

import io.moxing.billing.CreditNote;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoiceBook;
import io.moxing.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Issued invoices (stored as the JSON document that was issued) and credit notes; only ever inserted. */
public final class SqlInvoices implements InvoiceBook {
    private final Database db;

    public SqlInvoices(Database db) {
        this.db = db;
    }

    @Override
    public boolean add(Invoice i) {
        return db.writeTransaction(c -> {
            if (!Sql.query(c, "SELECT 1 FROM invoices WHERE tenant_id = ? AND period = ?", r -> 1, i.tenant(), i.period()).isEmpty()) {
                return false;
            }
            Sql.update(c, "INSERT INTO invoices (id, tenant_id, period, currency, total, document, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    i.id(), i.tenant(), i.period(), i.currency(), i.total().toPlainString(), Json.line(i),
                    Instant.parse(i.issuedAt()).toEpochMilli());
            return true;
        });
    }

    @Override
    public Optional<Invoice> invoice(String id) {
        return one("WHERE id = ?", id);
    }

    @Override
    public Optional<Invoice> invoice(String tenantId, String period) {
        return one("WHERE tenant_id = ? AND period = ?", tenantId, period);
    }

    private Optional<Invoice> one(String where, Object... params) {
        return Sql.query(db, "SELECT document FROM invoices " + where, r -> Json.parse(r.getString(1), Invoice.class), params)
                .stream().findFirst();
    }

    @Override
    public List<Invoice> invoices(String tenantId) {
        String sql = "SELECT document FROM invoices " + (tenantId == null ? "" : "WHERE tenant_id = ? ") + "ORDER BY period DESC, id";
        return Sql.query(db, sql, r -> Json.parse(r.getString(1), Invoice.class),
                tenantId == null ? new Object[0] : new Object[] {tenantId});
    }

    @Override
    public void addCreditNote(CreditNote n) {
        Sql.update(db, "INSERT INTO credit_notes (id, invoice_id, tenant_id, amount, currency, reason, issued_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", n.id(), n.invoiceId(), n.tenant(), n.amount().toPlainString(), n.currency(),
                n.reason(), Instant.parse(n.issuedAt()).toEpochMilli());
    }

    @Override
    public List<CreditNote> creditNotes(String invoiceId) {
        return Sql.query(db, "SELECT id, invoice_id, tenant_id, amount, currency, reason, issued_at FROM credit_notes"
                        + " WHERE invoice_id = ? ORDER BY issued_at, id",
                r -> new CreditNote(r.getString(1), r.getString(2), r.getString(3), new java.math.BigDecimal(r.getString(4)),
                        r.getString(5), r.getString(6), Instant.ofEpochMilli(r.getLong(7)).toString()), invoiceId);
    }
}
