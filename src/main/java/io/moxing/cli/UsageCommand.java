package io.moxing.cli;

import io.moxing.billing.BillingPeriod;
import io.moxing.billing.UsageQuery;
import io.moxing.core.Moments;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", mixinStandardHelpOptions = true, description = "Usage by day, month, model, key or tenant.")
final class UsageCommand implements Runnable {
    @Mixin BillingOptions common;
    @Option(names = "--tenant") String tenant;
    @Option(names = "--key") String key;
    @Option(names = "--model") String model;
    @Option(names = "--by", defaultValue = "day", description = "day, month, model, key or tenant.") String by;
    @Option(names = "--from", description = "First day (default: this month's first).") String from;
    @Option(names = "--to", description = "Last day, included (default: this month's last).") String to;

    @Override
    public void run() {
        BillingPeriod month = BillingPeriod.containing(System.currentTimeMillis());
        UsageQuery q = new UsageQuery(tenant, key == null ? null : io.moxing.billing.Secrets.keyId(key), model, by,
                from == null ? month.startMs() : Moments.parse("--from", from), to == null ? month.endMs() : Moments.parse("--to", to) + 86_400_000L);
        var rows = common.billing().ledger().query(q);
        Output out = common.out();
        out.line("%-24s %10s %10s %12s %12s %12s %12s", by, "requests", "charged", "predictions", "tokens in", "tokens out", "compute s");
        rows.forEach(r -> out.line("%-24s %10d %10d %12d %12d %12d %12.3f", r.group(), r.requests(), r.charged(), r.units(),
                r.tokensIn(), r.tokensOut(), r.computeSeconds()));
        out.result(Map.of("by", by, "rows", rows));
    }
}
