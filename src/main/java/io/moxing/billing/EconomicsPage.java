package io.moxing.billing;

import io.moxing.chart.HtmlPage;
import io.moxing.chart.LineChart;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Unit economics drawn: the tables, and the cost curves against volume and against batch size. */
public final class EconomicsPage {
    private EconomicsPage() {}

    /**
     * Cost (compute plus the fixed costs' share) and price per 1,000 requests against monthly volume, both
     * axes log10: the fixed share falls tenfold per decade until compute dominates; break-even is where the
     * lines cross.
     */
    public static BufferedImage volumeChart(Economics.Report r) {
        double[] x = r.volumes().stream().mapToDouble(v -> Math.log10(v.requestsPerMonth())).toArray();
        return new LineChart("log10 " + r.costs().currency() + " per 1,000 requests as traffic grows", "log10(requests per month)").x(x)
                .series("cost", r.volumes().stream().mapToDouble(v -> log10(v.costPer1000())).toArray())
                .series("price", r.volumes().stream().mapToDouble(v -> log10(v.pricePer1000())).toArray())
                .render(900, 420);
    }

    private static double log10(BigDecimal v) {
        return v == null || v.signum() <= 0 ? Double.NaN : Math.log10(v.doubleValue());
    }

    /** Measured compute cost per 1,000 predictions against the size of the batch they ran in. */
    public static BufferedImage batchChart(Economics.Report r) {
        double[] x = r.batches().stream().mapToDouble(Economics.BatchRow::batchSize).toArray();
        return new LineChart("Compute cost per 1,000 predictions (" + r.costs().currency() + ") by batch size, measured", "batch size").x(x)
                .series("cost", r.batches().stream()
                        .mapToDouble(b -> b.costPer1000Predictions() == null ? Double.NaN : b.costPer1000Predictions().doubleValue()).toArray())
                .render(900, 420);
    }

    public static String render(Economics.Report r) {
        String cur = r.costs().currency();
        HtmlPage page = new HtmlPage("Unit economics " + r.period());
        page.paragraph("Compute at " + r.costs().perComputeHour().toPlainString() + " " + cur + " per " + r.costs().hardware()
                + "-hour; fixed costs " + r.costs().fixedMonthly().toPlainString() + " " + cur + " a month. " + r.requests()
                + " charged requests, revenue " + r.revenue().toPlainString() + ", compute cost " + r.computeCost().toPlainString()
                + ", gross margin " + (r.grossMarginPercent() == null ? "n/a" : r.grossMarginPercent() + "%") + ", break-even "
                + (r.breakEvenRequestsPerMonth() == null ? "never at these prices" : r.breakEvenRequestsPerMonth() + " requests a month") + ".");
        List<List<String>> rows = new ArrayList<>();
        for (Economics.Row row : r.rows()) {
            rows.add(List.of(row.model(), row.plan(), Long.toString(row.requests()), String.format("%.3f", row.computeMsPerRequest()),
                    text(row.costPer1000()), text(row.pricePer1000()), row.grossMarginPercent() == null ? "n/a" : row.grossMarginPercent() + "%"));
        }
        page.table(List.of("Model", "Plan", "Requests", "Compute ms/request", "Cost per 1,000", "Price per 1,000", "Gross margin"), rows);
        page.heading("Economy of scale");
        page.image(volumeChart(r), "cost and price per 1,000 requests against monthly volume");
        page.table(List.of("Requests a month", "Cost per 1,000", "Price per 1,000"), r.volumes().stream()
                .map(v -> List.of(String.format("%,d", v.requestsPerMonth()), text(v.costPer1000()), text(v.pricePer1000()))).toList());
        if (!r.batches().isEmpty()) {
            page.image(batchChart(r), "compute cost per 1,000 predictions by batch size");
            page.table(List.of("Batch size", "Requests", "Compute ms/prediction", "Cost per 1,000 predictions"), r.batches().stream()
                    .map(b -> List.of(Integer.toString(b.batchSize()), Long.toString(b.requests()),
                            String.format("%.3f", b.computeMsPerPrediction()), text(b.costPer1000Predictions()))).toList());
        }
        return page.render();
    }

    private static String text(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}
