package io.moxing.billing;

import io.moxing.chart.BarChart;
import io.moxing.chart.HtmlPage;
import io.moxing.chart.LineChart;
import io.moxing.chart.Scale;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Unit economics drawn: the tables, and the cost curves against volume and against batch size. */
public final class EconomicsPage {
    private EconomicsPage() {}

    /**
     * Cost (compute plus the fixed costs' share) and price per 1,000 requests against monthly volume, both
     * axes logarithmic: the fixed share falls tenfold per decade until compute dominates; break-even is where the
     * lines cross. Curves, not measurements: both follow from the costs at every volume, not only the six drawn.
     */
    public static BufferedImage volumeChart(Economics.Report r) {
        double[] x = r.volumes().stream().mapToDouble(Economics.VolumeRow::requestsPerMonth).toArray();
        return new LineChart(r.costs().currency() + " per 1,000 requests as traffic grows", "requests per month").x(x)
                .xScale(Scale.LOG).yScale(Scale.LOG)
                .series("cost", r.volumes().stream().mapToDouble(v -> value(v.costPer1000())).toArray())
                .series("price", r.volumes().stream().mapToDouble(v -> value(v.pricePer1000())).toArray())
                .render(900, 420);
    }

    private static double value(BigDecimal v) {
        return v == null ? Double.NaN : v.doubleValue();
    }

    /**
     * Measured compute cost per 1,000 predictions by the size of the batch they ran in: one bar per batch size
     * seen, since the sizes are a handful of measurements (1, 2, 64) and a line between them would invent the rest.
     */
    public static BufferedImage batchChart(Economics.Report r) {
        BarChart chart = new BarChart("Compute cost per 1,000 predictions (" + r.costs().currency() + ") by batch size, measured", "batch size");
        r.batches().forEach(b -> chart.bar(Integer.toString(b.batchSize()), value(b.costPer1000Predictions())));
        return chart.render(900, 420);
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
