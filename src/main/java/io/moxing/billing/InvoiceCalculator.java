package io.moxing.billing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Turns a period's plan segments and the usage in each into invoice lines, exactly:
 * <ul>
 * <li>free: a zero line with the request count;</li>
 * <li>subscription: the fee and the included units scale with the share of the period the plan was held
 * (included units round down), units beyond them are overage at the plan's price;</li>
 * <li>pay-per-use: predictions and tokens per 1,000, compute per second.</li>
 * </ul>
 * Every line's amount is rounded once, half up, to the currency's minor unit; the total is their sum.
 */
public final class InvoiceCalculator {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private InvoiceCalculator() {}

    /** The usage of one stretch of the period under one plan. */
    public record Segment(Plan plan, long fromMs, long toMs, UsageTotals usage) {}

    public static Invoice draft(String tenant, BillingPeriod period, List<Segment> segments) {
        String currency = segments.isEmpty() ? "USD" : segments.get(0).plan().currency();
        int scale = Currency.getInstance(currency).getDefaultFractionDigits();
        List<InvoiceLine> lines = new ArrayList<>();
        BigDecimal periodMs = BigDecimal.valueOf(period.endMs() - period.startMs());
        for (Segment s : segments) {
            Plan p = s.plan();
            UsageTotals u = s.usage();
            BigDecimal share = BigDecimal.valueOf(s.toMs() - s.fromMs()).divide(periodMs, MathContext.DECIMAL128);
            String span = " (" + day(s.fromMs()) + " to " + day(s.toMs()) + ")";
            switch (p.kind()) {
                case FREE -> lines.add(line(p, "Free plan, requests" + span, BigDecimal.valueOf(u.requests()), "request",
                        BigDecimal.ZERO, scale));
                case SUBSCRIPTION -> {
                    lines.add(line(p, "Subscription fee" + span, share, "month", p.monthlyFee(), scale));
                    long included = BigDecimal.valueOf(p.includedUnits()).multiply(share).setScale(0, RoundingMode.FLOOR)
                            .longValueExact();
                    lines.add(line(p, "Included predictions: " + Math.min(u.units(), included) + " used of " + included + span,
                            BigDecimal.valueOf(Math.min(u.units(), included)), "prediction", BigDecimal.ZERO, scale));
                    long overage = Math.max(0, u.units() - included);
                    lines.add(line(p, "Overage predictions" + span, BigDecimal.valueOf(overage), "prediction",
                            p.overagePerUnit(), scale));
                }
                case PAY_PER_USE -> {
                    if (p.per1000Predictions() != null) {
                        lines.add(line(p, "Predictions" + span, thousands(u.units()), "1,000 predictions", p.per1000Predictions(), scale));
                    }
                    if (p.per1000PromptTokens() != null) {
                        lines.add(line(p, "Prompt tokens" + span, thousands(u.tokensIn()), "1,000 tokens", p.per1000PromptTokens(), scale));
                    }
                    if (p.per1000CompletionTokens() != null) {
                        lines.add(line(p, "Completion tokens" + span, thousands(u.tokensOut()), "1,000 tokens",
                                p.per1000CompletionTokens(), scale));
                    }
                    if (p.perComputeSecond() != null) {
                        lines.add(line(p, "Compute" + span, BigDecimal.valueOf(u.computeUs()).divide(MICROS), "second",
                                p.perComputeSecond(), scale));
                    }
                }
            }
        }
        BigDecimal total = lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO.setScale(scale), BigDecimal::add);
        return new Invoice(null, tenant, period.toString(), currency, Instant.ofEpochMilli(period.startMs()).toString(),
                Instant.ofEpochMilli(period.endMs()).toString(), List.copyOf(lines), total, null);
    }

    private static BigDecimal thousands(long count) {
        return BigDecimal.valueOf(count).divide(THOUSAND);
    }

    private static InvoiceLine line(Plan p, String text, BigDecimal quantity, String unit, BigDecimal price, int scale) {
        BigDecimal amount = quantity.multiply(price).setScale(scale, RoundingMode.HALF_UP);
        return new InvoiceLine(p.name(), text, quantity.stripTrailingZeros(), unit, price, amount);
    }

    private static String day(long ms) {
        return Instant.ofEpochMilli(ms).toString().substring(0, 10);
    }
}
