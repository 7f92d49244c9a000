package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Economics;
import io.moxing.console.view.BusinessViews.BatchRow;
import io.moxing.console.view.BusinessViews.EconomicsRow;
import io.moxing.console.view.BusinessViews.VolumeRow;
import io.moxing.console.view.CommonViews.Fact;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Unit economics of a month, from billing's {@link Economics} report (the same numbers as {@code moxing economics}
 * and its HTML page): cost and price per 1,000 requests by model and plan, margin, break-even, and the two charts
 * of {@code EconomicsPage} in Chart.js with its conventions: the scale curve on logarithmic axes (it spans decades),
 * and the measured batch sizes as bars (a line between 1, 2 and 64 would invent the sizes between).
 */
final class EconomicsPages {
    static final String PATH = "/console/ops/economics";
    private final BillingAdmin billing;
    private final Pages pages;

    EconomicsPages(BillingAdmin billing, Pages pages) {
        this.billing = billing;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, this::economics);
    }

    private void economics(Context ctx) {
        String asked = ctx.queryParam("period");
        BillingPeriod period = asked == null || asked.isBlank() ? BillingPeriod.containing(System.currentTimeMillis())
                : parse(asked);
        Economics.Report r = billing.economics(period);
        String cur = r.costs().currency();
        List<Fact> summary = List.of(new Fact("Charged requests", String.format(Locale.ROOT, "%,d", r.requests())),
                new Fact("Revenue", text(r.revenue()) + " " + cur), new Fact("Compute cost", text(r.computeCost()) + " " + cur),
                new Fact("Gross margin", r.grossMarginPercent() == null ? "n/a" : r.grossMarginPercent() + "%"),
                new Fact("Break-even", r.breakEvenRequestsPerMonth() == null ? "never at these prices"
                        : String.format(Locale.ROOT, "%,d requests a month", r.breakEvenRequestsPerMonth())),
                new Fact("Costs", r.costs().perComputeHour().toPlainString() + " " + cur + " per " + r.costs().hardware()
                        + "-hour, " + r.costs().fixedMonthly().toPlainString() + " " + cur + " fixed a month"));
        List<EconomicsRow> rows = r.rows().stream().map(x -> new EconomicsRow(x.model(), x.plan(), x.requests(),
                String.format(Locale.ROOT, "%.3f", x.computeMsPerRequest()), text(x.costPer1000()), text(x.pricePer1000()),
                x.grossMarginPercent() == null ? "n/a" : x.grossMarginPercent() + "%")).toList();
        List<VolumeRow> volumes = r.volumes().stream().map(v -> new VolumeRow(String.format(Locale.ROOT, "%,d",
                v.requestsPerMonth()), text(v.costPer1000()), text(v.pricePer1000()))).toList();
        List<BatchRow> batches = r.batches().stream().map(b -> new BatchRow(b.batchSize(), b.requests(),
                String.format(Locale.ROOT, "%.3f", b.computeMsPerPrediction()), text(b.costPer1000Predictions()))).toList();
        pages.render(ctx, "ops/economics.jte", new io.moxing.console.view.BusinessViews.Economics(pages.frame(ctx,
                "Unit economics"), period.toString(), cur, summary, rows, volume(r).json(), volumes,
                r.batches().isEmpty() ? null : batch(r).json(), batches));
    }

    /** Cost and price per 1,000 requests against monthly volume: computed at every volume, so drawn as lines. */
    static ChartSpec volume(Economics.Report r) {
        List<ChartSpec.Point> cost = new ArrayList<>(), price = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (Economics.VolumeRow v : r.volumes()) {
            cost.add(new ChartSpec.Point(v.requestsPerMonth(), value(v.costPer1000())));
            price.add(new ChartSpec.Point(v.requestsPerMonth(), value(v.pricePer1000())));
            all.add(value(v.costPer1000()));
            all.add(value(v.pricePer1000()));
        }
        return new ChartSpec("line", null, List.of(new ChartSpec.Series("cost", cost, null, true),
                new ChartSpec.Series("price", price, null, true)), ChartSpec.Axis.of("requests per month", ChartSpec.LOG),
                ChartSpec.Axis.of(r.costs().currency() + " per 1,000 requests", ChartSpec.scaleOf(all)));
    }

    /** The measured compute cost per 1,000 predictions by batch size: one bar per size seen. */
    static ChartSpec batch(Economics.Report r) {
        List<Double> costs = r.batches().stream().map(b -> value(b.costPer1000Predictions())).toList();
        return new ChartSpec("bar", r.batches().stream().map(b -> Integer.toString(b.batchSize())).toList(),
                List.of(new ChartSpec.Series("compute cost per 1,000 predictions (measured)", costs, null, false)),
                ChartSpec.Axis.of("batch size", ChartSpec.CATEGORY),
                ChartSpec.Axis.of(r.costs().currency() + " per 1,000 predictions", ChartSpec.scaleOf(costs)));
    }

    private static BillingPeriod parse(String text) {
        try {
            return BillingPeriod.parse(text.strip());
        } catch (io.moxing.core.UserException e) {
            throw new ConsoleError(400, "invalid_field", e.getMessage());
        }
    }

    private static Double value(BigDecimal v) {
        return v == null ? null : v.doubleValue();
    }

    private static String text(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}
