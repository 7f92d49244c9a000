package io.moxing.billing;

import java.math.BigDecimal;

/** A correction to an issued invoice: an amount given back, with the reason. */
public record CreditNote(String id, String invoiceId, String tenant, BigDecimal amount, String currency, String reason,
                         String issuedAt) {}
