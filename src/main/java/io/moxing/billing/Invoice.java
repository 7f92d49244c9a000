package io.moxing.billing;

import java.math.BigDecimal;
import java.util.List;

/**
 * A tenant's bill for one period: the lines of each plan it was on, and their total. A draft has no
 * id and no issue time; an issued invoice never changes (corrections are credit notes).
 */
public record Invoice(String id, String tenant, String period, String currency, String periodStart, String periodEnd,
                      List<InvoiceLine> lines, BigDecimal total, String issuedAt) {
    public Invoice issued(String newId, String at) {
        return new Invoice(newId, tenant, period, currency, periodStart, periodEnd, lines, total, at);
    }
}
