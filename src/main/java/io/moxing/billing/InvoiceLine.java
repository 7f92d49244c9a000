package io.moxing.billing;

import java.math.BigDecimal;

/**
 * One line of an invoice: what, how many, at what unit price, and the amount (rounded to the currency's
 * minor unit once, on the line). {@code unit} names what the quantity counts.
 */
public record InvoiceLine(String plan, String description, BigDecimal quantity, String unit, BigDecimal unitPrice,
                          BigDecimal amount) {}
