package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Costs;
import io.moxing.billing.Economics;
import io.moxing.billing.EconomicsPage;
import io.moxing.core.AtomicFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "economics", mixinStandardHelpOptions = true,
        description = "Unit economics: cost and price per 1,000 requests, margins, break-even, economy of scale (table, PNG, HTML).")
final class EconomicsCommand implements Runnable {
    @Mixin BillingOptions common;
    @Option(names = "--period", description = "YYYY-MM (default: this month).") String period;
    @Option(names = "--compute-hour", description = "Set the cost of one compute-hour (CPU or GPU worker), e.g. 0.10.") BigDecimal hour;
    @Option(names = "--hardware", description = "cpu or gpu (with --compute-hour).") String hardware;
    @Option(names = "--fixed-monthly", description = "Set the fixed costs of a month.") BigDecimal fixed;
    @Option(names = "--currency", description = "Currency of the costs (with --compute-hour).") String currency;
    @Option(names = "--out", description = "Directory for economics.html and the charts (default: the data directory's reports/).")
    Path outDir;

    @Override
    public void run() {
        BillingAdmin b = common.billing();
        if (hour != null || fixed != null || hardware != null) {
            Costs now = b.costs();
            b.setCosts(Actor.cli(), new Costs(currency != null ? currency : now.currency(), hour != null ? hour : now.perComputeHour(),
                    hardware != null ? hardware : now.hardware(), fixed != null ? fixed : now.fixedMonthly()));
        }
        BillingPeriod p = period == null ? BillingPeriod.containing(System.currentTimeMillis()) : BillingPeriod.parse(period);
        Economics.Report r = b.economics(p);
        Output out = common.out();
        String cur = r.costs().currency();
        out.line("unit economics %s (compute %s %s per %s-hour, fixed %s %s a month)", r.period(), r.costs().perComputeHour(), cur,
                r.costs().hardware(), r.costs().fixedMonthly(), cur);
        out.line("%-20s %-16s %10s %12s %16s %16s %10s", "model", "plan", "requests", "compute ms", "cost/1,000", "price/1,000", "margin");
        r.rows().forEach(row -> out.line("%-20s %-16s %10d %12.3f %16s %16s %10s", row.model(), row.plan(), row.requests(),
                row.computeMsPerRequest(), plain(row.costPer1000()), plain(row.pricePer1000()),
                row.grossMarginPercent() == null ? "n/a" : row.grossMarginPercent() + "%"));
        out.line("revenue %s, compute cost %s, gross margin %s, break-even %s", plain(r.revenue()), plain(r.computeCost()),
                r.grossMarginPercent() == null ? "n/a" : r.grossMarginPercent() + "%",
                r.breakEvenRequestsPerMonth() == null ? "never at these prices" : String.format("%,d requests a month", r.breakEvenRequestsPerMonth()));
        Path dir = outDir != null ? outDir : Main.home().reports();
        AtomicFiles.writeString(dir.resolve("economics-" + r.period() + ".html"), EconomicsPage.render(r));
        io.moxing.chart.Charts.writePng(EconomicsPage.volumeChart(r), dir.resolve("economics-" + r.period() + "-volume.png"));
        if (!r.batches().isEmpty()) {
            io.moxing.chart.Charts.writePng(EconomicsPage.batchChart(r), dir.resolve("economics-" + r.period() + "-batches.png"));
        }
        out.line("report: %s", dir.resolve("economics-" + r.period() + ".html"));
        out.result(r);
    }

    private static String plain(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}
