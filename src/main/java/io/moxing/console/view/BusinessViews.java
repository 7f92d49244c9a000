package io.moxing.console.view;

import io.moxing.console.view.CommonViews.Fact;
import java.util.List;

/** The operator's money pages: usage over a period, invoices across tenants, unit economics. */
public final class BusinessViews {
    private BusinessViews() {}

    /**
     * @param from    the period's first day (yyyy-mm-dd), {@code to} its last, as the form shows them
     * @param byDay   requests per day as a chart spec (JSON); {@code byModel} and {@code byTenant} likewise
     * @param models  the page of the per-model sums; {@code tenants} of the per-tenant ones
     */
    public record Usage(Frame frame, String from, String to, Totals totals, String byDay, String byModel, String byTenant,
                        List<UsageRow> models, Pager modelPager, List<UsageRow> tenants, Pager tenantPager) {}

    public record Totals(long requests, long charged, long units, long tokensIn, long tokensOut, String computeSeconds) {}

    /** @param name a tenant's display name, or the model's name again */
    public record UsageRow(String group, String name, long requests, long charged, long units, long tokensIn, long tokensOut,
                           String computeSeconds) {}

    /**
     * @param tenants every tenant (id), for the issue form
     * @param lastMonth the newest period that has ended (yyyy-mm), the form's default
     */
    public record Invoices(Frame frame, List<InvoiceRow> invoices, Pager pager, List<String> tenants, String lastMonth) {}

    /** @param credited what credit notes gave back, "" when none; {@code slug} a name for element ids */
    public record InvoiceRow(String id, String tenant, String period, String total, String currency, String issuedAt,
                             String credited, String slug) {}

    /**
     * @param volume the cost and price per 1,000 requests against monthly volume (chart spec JSON)
     * @param batch  the measured compute cost per 1,000 predictions by batch size (chart spec JSON), or null with none
     */
    public record Economics(Frame frame, String period, String currency, List<Fact> summary, List<EconomicsRow> rows,
                            String volume, List<VolumeRow> volumes, String batch, List<BatchRow> batches) {}

    public record EconomicsRow(String model, String plan, long requests, String computeMs, String costPer1000,
                               String pricePer1000, String margin) {}

    public record VolumeRow(String requestsPerMonth, String costPer1000, String pricePer1000) {}

    public record BatchRow(int batchSize, long requests, String computeMs, String costPer1000) {}
}
