package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.UsageLedger;
import io.moxing.billing.UsageQuery;
import io.moxing.console.view.BusinessViews.Totals;
import io.moxing.console.view.BusinessViews.Usage;
import io.moxing.console.view.BusinessViews.UsageRow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Usage over a chosen period, by day, by model and by tenant: three grouped sums that the database computes (the
 * ledger's {@code query}, a GROUP BY), so a period of millions of records sends a few hundred rows to Java. The
 * per-model and per-tenant tables are paged; their charts show the largest groups.
 */
final class UsagePages {
    static final String PATH = "/console/ops/usage";
    /** Groups a by-model or by-tenant chart shows (the largest by requests); the table pages through all of them. */
    static final int CHART_GROUPS = 20;
    private final io.moxing.billing.BillingAdmin billing;
    private final Pages pages;

    UsagePages(io.moxing.billing.BillingAdmin billing, Pages pages) {
        this.billing = billing;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, this::usage);
    }

    private void usage(Context ctx) {
        Period period = Period.of(ctx);
        UsageLedger ledger = billing.ledger();
        List<UsageQuery.Row> byDay = ledger.query(new UsageQuery(null, null, null, "day", period.fromMs(), period.toMs()));
        List<UsageQuery.Row> byModel = largestFirst(ledger.query(new UsageQuery(null, null, null, "model", period.fromMs(), period.toMs())));
        List<UsageQuery.Row> byTenant = largestFirst(ledger.query(new UsageQuery(null, null, null, "tenant", period.fromMs(), period.toMs())));
        Map<String, String> names = new HashMap<>();
        billing.accounts().tenants().forEach(t -> names.put(t.id(), t.displayName()));
        Paging modelPage = Paging.of(ctx, "models");
        Paging tenantPage = Paging.of(ctx, "tenants");
        List<UsageQuery.Row> models = modelPage.slice(byModel), tenants = tenantPage.slice(byTenant);
        pages.render(ctx, "ops/usage.jte", new Usage(pages.frame(ctx, "Usage"), period.from().toString(), period.to().toString(),
                totals(byDay), perDay(period, byDay).json(), bars(byModel, "requests by model", Function.identity()).json(),
                bars(byTenant, "requests by tenant", t -> names.getOrDefault(t, t)).json(),
                rows(modelPage.shown(models), Function.identity()), modelPage.pager(ctx, PATH, models),
                rows(tenantPage.shown(tenants), t -> names.getOrDefault(t, t)), tenantPage.pager(ctx, PATH, tenants)));
    }

    /** Requests and charged requests on every day of the period, a day without any a zero bar (not a gap: none were made). */
    static ChartSpec perDay(Period period, List<UsageQuery.Row> byDay) {
        Map<String, UsageQuery.Row> found = new HashMap<>();
        byDay.forEach(r -> found.put(r.group(), r));
        List<String> days = new ArrayList<>();
        List<Long> requests = new ArrayList<>(), charged = new ArrayList<>();
        for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) {
            UsageQuery.Row r = found.get(d.toString());
            days.add(d.toString());
            requests.add(r == null ? 0 : r.requests());
            charged.add(r == null ? 0 : r.charged());
        }
        return new ChartSpec("bar", days, List.of(new ChartSpec.Series("requests", requests, null, false),
                new ChartSpec.Series("charged", charged, null, false)), ChartSpec.Axis.of("day (UTC)", ChartSpec.CATEGORY),
                ChartSpec.Axis.of("requests", ChartSpec.scaleOf(requests)));
    }

    private static ChartSpec bars(List<UsageQuery.Row> rows, String title, Function<String, String> name) {
        List<UsageQuery.Row> shown = rows.subList(0, Math.min(rows.size(), CHART_GROUPS));
        List<Long> requests = shown.stream().map(UsageQuery.Row::requests).toList();
        return new ChartSpec("bar", shown.stream().map(r -> name.apply(r.group())).toList(),
                List.of(new ChartSpec.Series(title, requests, null, false)), ChartSpec.Axis.of(null, ChartSpec.CATEGORY),
                ChartSpec.Axis.of("requests", ChartSpec.scaleOf(requests)));
    }

    private static Totals totals(List<UsageQuery.Row> byDay) {
        long requests = 0, charged = 0, units = 0, in = 0, out = 0;
        double seconds = 0;
        for (UsageQuery.Row r : byDay) {
            requests += r.requests();
            charged += r.charged();
            units += r.units();
            in += r.tokensIn();
            out += r.tokensOut();
            seconds += r.computeSeconds();
        }
        return new Totals(requests, charged, units, in, out, seconds(seconds));
    }

    private static List<UsageRow> rows(List<UsageQuery.Row> rows, Function<String, String> name) {
        return rows.stream().map(r -> new UsageRow(r.group(), name.apply(r.group()), r.requests(), r.charged(), r.units(),
                r.tokensIn(), r.tokensOut(), seconds(r.computeSeconds()))).toList();
    }

    private static List<UsageQuery.Row> largestFirst(List<UsageQuery.Row> rows) {
        // a record without a tenant (none is metered so today, but the column allows it) is listed as "-"
        return rows.stream().map(r -> r.group() != null ? r : new UsageQuery.Row("-", r.requests(), r.charged(), r.units(),
                        r.tokensIn(), r.tokensOut(), r.computeSeconds()))
                .sorted(Comparator.comparingLong(UsageQuery.Row::requests).reversed().thenComparing(UsageQuery.Row::group)).toList();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
