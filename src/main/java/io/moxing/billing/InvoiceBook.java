package io.moxing.billing;

import java.util.List;
import java.util.Optional;

/** Where issued invoices and credit notes are kept; nothing here updates or deletes. */
public interface InvoiceBook {
    /** Stores the invoice; false when the tenant already has one for the period. */
    boolean add(Invoice invoice);

    Optional<Invoice> invoice(String id);

    Optional<Invoice> invoice(String tenantId, String period);

    /** The tenant's invoices (every tenant's when null), newest period first. */
    List<Invoice> invoices(String tenantId);

    void addCreditNote(CreditNote note);

    List<CreditNote> creditNotes(String invoiceId);
}
