package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Costs;
import io.moxing.billing.Economics;
import io.moxing.billing.EconomicsPage;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoicePage;
import io.moxing.billing.Plan;
import io.moxing.billing.PlanKind;
import io.moxing.billing.UsageQuery;
import io.moxing.core.AtomicFiles;
import io.moxing.core.Moments;
import io.moxing.core.UserException;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The business layer from the command line: plans, tenants, keys, usage, invoices, economics, the audit
 * log and the admin token. They act on the state database directly (whoever can read it is an admin);
 * every change is audited as the local OS user.
 */
final class BillingCommands {
    private BillingCommands() {}

    /** Options every billing command shares. */
    static final class Common {
        @Option(names = "--db", description = "postgresql://USER:PASSWORD@HOST:PORT/DB (default: SQLite under the data directory).")
        String db;
        @Option(names = "--json", description = "Print the result as one JSON object on the last line.") boolean json;

        BillingAdmin billing() {
            return SqlBilling.open(Database.open(db, Main.home().database()));
        }

        Output out() {
            return new Output(System.out, json);
        }
    }

    @Command(name = "plans", mixinStandardHelpOptions = true, description = "Plans: free, subscription, pay-per-use.",
            subcommands = {Plans.Create.class, Plans.ListPlans.class})
    static final class Plans {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a plan (plans never change; make a new one).")
        static final class Create implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", description = "Plan name, e.g. free, pro-2026.") String name;
            @Option(names = "--kind", required = true, description = "free, subscription or pay-per-use.") String kind;
            @Option(names = "--currency", defaultValue = "USD") String currency;
            @Option(names = "--quota", description = "Requests a month (free plans).") Long quota;
            @Option(names = "--rate", description = "Requests per second per API key (token-bucket refill).") Double rate;
            @Option(names = "--burst", description = "Token-bucket size per API key (default: one second of --rate).") Integer burst;
            @Option(names = "--monthly-fee", description = "Subscription fee a month.") BigDecimal fee;
            @Option(names = "--included", description = "Predictions a month's fee includes.") Long included;
            @Option(names = "--overage", description = "Price per prediction beyond the included ones.") BigDecimal overage;
            @Option(names = "--per-1000-predictions") BigDecimal per1000Predictions;
            @Option(names = "--per-1000-prompt-tokens") BigDecimal per1000Prompt;
            @Option(names = "--per-1000-completion-tokens") BigDecimal per1000Completion;
            @Option(names = "--per-compute-second") BigDecimal perComputeSecond;

            @Override
            public void run() {
                Plan plan = common.billing().createPlan(Actor.cli(), new Plan(name, PlanKind.parse(kind), currency, quota, rate, burst, fee,
                        included, overage, per1000Predictions, per1000Prompt, per1000Completion, perComputeSecond));
                Output out = common.out();
                out.line("created plan %s (%s, %s)", plan.name(), plan.kind().label(), plan.currency());
                out.result(plan);
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List plans.")
        static final class ListPlans implements Runnable {
            @Mixin Common common;

            @Override
            public void run() {
                List<Plan> plans = common.billing().accounts().plans();
                Output out = common.out();
                if (plans.isEmpty()) out.line("no plans; create one with: moxing plans create free --kind free --quota 1000 --rate 5");
                plans.forEach(p -> out.line("%-16s %-12s %s", p.name(), p.kind().label(), io.moxing.core.Json.line(p)));
                out.result(Map.of("plans", plans));
            }
        }
    }

    @Command(name = "tenants", mixinStandardHelpOptions = true, description = "Tenants (customers) and their plans.",
            subcommands = {Tenants.Create.class, Tenants.ListTenants.class, Tenants.ChangePlan.class, Tenants.Own.class})
    static final class Tenants {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant on a plan.")
        static final class Create implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", description = "Tenant id, e.g. acme.") String id;
            @Option(names = "--plan", required = true) String plan;
            @Option(names = "--name", description = "Display name (invoices).") String name;

            @Override
            public void run() {
                var t = common.billing().createTenant(Actor.cli(), id, name, plan, System.currentTimeMillis());
                Output out = common.out();
                out.line("created tenant %s on plan %s; give it a key with: moxing keys create %s", t.id(), plan, t.id());
                out.result(t);
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
        static final class ListTenants implements Runnable {
            @Mixin Common common;

            @Override
            public void run() {
                BillingAdmin b = common.billing();
                Output out = common.out();
                var tenants = b.accounts().tenants();
                tenants.forEach(t -> {
                    var plans = b.accounts().assignments(t.id());
                    out.line("%-20s %-30s plan %s", t.id(), t.displayName(), plans.isEmpty() ? "-" : plans.get(plans.size() - 1).plan());
                });
                out.result(Map.of("tenants", tenants));
            }
        }

        @Command(name = "plan", mixinStandardHelpOptions = true, description = "Move a tenant to another plan (pro-rated).")
        static final class ChangePlan implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0") String tenant;
            @Parameters(index = "1") String plan;
            @Option(names = "--at", description = "When it takes effect (2026-11-16 or an ISO instant; default now).") String at;

            @Override
            public void run() {
                var a = common.billing().changePlan(Actor.cli(), tenant, plan, at == null ? System.currentTimeMillis() : Moments.parse("--at", at));
                Output out = common.out();
                out.line("tenant %s is on plan %s from %s", tenant, plan, Instant.ofEpochMilli(a.effectiveFrom()));
                out.result(a);
            }
        }

        @Command(name = "own", mixinStandardHelpOptions = true,
                description = "Make a deployment private to a tenant (--public to open it to every tenant again).")
        static final class Own implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", description = "Deployment name.") String deployment;
            @Parameters(index = "1", arity = "0..1", description = "Owning tenant.") String tenant;
            @Option(names = "--public") boolean makePublic;

            @Override
            public void run() {
                if ((tenant == null) != makePublic) {
                    throw new UserException("invalid_option", "name the owning tenant, or give --public");
                }
                common.billing().own(Actor.cli(), deployment, tenant);
                Output out = common.out();
                out.line("%s is %s", deployment, tenant == null ? "public" : "private to " + tenant);
                out.result(Map.of("deployment", deployment, "owner", tenant == null ? "public" : tenant));
            }
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "API keys (shown once at creation, stored hashed).",
            subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
    static final class Keys {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key for a tenant; it is printed once.")
        static final class Create implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0") String tenant;
            @Option(names = "--name", description = "What the key is for.") String name;
            @Option(names = "--models", split = ",", description = "Only these deployments (default: all the tenant may call).")
            Set<String> models;
            @Option(names = "--rate", description = "Own rate limit, requests per second (default: the plan's).") Double rate;
            @Option(names = "--burst") Integer burst;
            @Option(names = "--expires", description = "Day or instant after which the key is refused.") String expires;

            @Override
            public void run() {
                var key = common.billing().issueKey(Actor.cli(), tenant, name, models, rate, burst, expires == null ? null : Moments.parse("--expires", expires),
                        System.currentTimeMillis());
                Output out = common.out();
                out.line("API key for %s (shown once; store it now, Moxing keeps only a hash):", tenant);
                out.line(key.plaintext());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("key", key.plaintext());
                result.put("details", key.key().view());
                out.result(result);
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (ids only; secrets are never stored).")
        static final class ListKeys implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", arity = "0..1") String tenant;

            @Override
            public void run() {
                var keys = common.billing().keys(tenant);
                Output out = common.out();
                keys.forEach(k -> out.line("%-24s %-16s %-12s %s%s", k.prefix(), k.tenant(), k.name(), k.models().isEmpty() ? "all models"
                        : k.models(), k.revokedAt() != null ? "  revoked " + k.revokedAt() : ""));
                out.result(Map.of("keys", keys));
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key (servers refuse it within a second).")
        static final class Revoke implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", description = "The key id or prefix, e.g. mx_live_3fa9c2d1e0b7.") String key;

            @Override
            public void run() {
                common.billing().revokeKey(Actor.cli(), key, System.currentTimeMillis());
                Output out = common.out();
                out.line("revoked %s", key);
                out.result(Map.of("revoked", key));
            }
        }
    }

    @Command(name = "usage", mixinStandardHelpOptions = true, description = "Usage by day, month, model, key or tenant.")
    static final class Usage implements Runnable {
        @Mixin Common common;
        @Option(names = "--tenant") String tenant;
        @Option(names = "--key") String key;
        @Option(names = "--model") String model;
        @Option(names = "--by", defaultValue = "day", description = "day, month, model, key or tenant.") String by;
        @Option(names = "--from", description = "First day (default: this month's first).") String from;
        @Option(names = "--to", description = "Last day, included (default: this month's last).") String to;

        @Override
        public void run() {
            BillingPeriod month = BillingPeriod.containing(System.currentTimeMillis());
            UsageQuery q = new UsageQuery(tenant, key == null ? null : key.replaceFirst("^mx_live_", ""), model, by,
                    from == null ? month.startMs() : Moments.parse("--from", from), to == null ? month.endMs() : Moments.parse("--to", to) + 86_400_000L);
            var rows = common.billing().ledger().query(q);
            Output out = common.out();
            out.line("%-24s %10s %10s %12s %12s %12s %12s", by, "requests", "charged", "predictions", "tokens in", "tokens out", "compute s");
            rows.forEach(r -> out.line("%-24s %10d %10d %12d %12d %12d %12.3f", r.group(), r.requests(), r.charged(), r.units(),
                    r.tokensIn(), r.tokensOut(), r.computeSeconds()));
            out.result(Map.of("by", by, "rows", rows));
        }
    }

    @Command(name = "invoices", mixinStandardHelpOptions = true, description = "Invoices and credit notes.",
            subcommands = {Invoices.Preview.class, Invoices.Issue.class, Invoices.ListInvoices.class, Invoices.Credit.class})
    static final class Invoices {
        @Command(name = "preview", mixinStandardHelpOptions = true, description = "The invoice a period would get now (not issued).")
        static final class Preview implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0") String tenant;
            @Option(names = "--period", description = "YYYY-MM (default: this month).") String period;
            @Option(names = "--html", description = "Also write the printable page here.") Path html;

            @Override
            public void run() {
                BillingPeriod p = period == null ? BillingPeriod.containing(System.currentTimeMillis()) : BillingPeriod.parse(period);
                show(common, common.billing().draft(tenant, p), html, List.of());
            }
        }

        @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue the invoice of an ended period (immutable).")
        static final class Issue implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0") String tenant;
            @Option(names = "--period", required = true, description = "YYYY-MM") String period;
            @Option(names = "--html", description = "Also write the printable page here.") Path html;

            @Override
            public void run() {
                BillingAdmin b = common.billing();
                Invoice i = b.issue(Actor.cli(), tenant, BillingPeriod.parse(period), System.currentTimeMillis());
                show(common, i, html, b.invoices().creditNotes(i.id()));
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Issued invoices.")
        static final class ListInvoices implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0", arity = "0..1") String tenant;

            @Override
            public void run() {
                var all = common.billing().invoices().invoices(tenant);
                Output out = common.out();
                all.forEach(i -> out.line("%-32s %-16s %s %12s %s", i.id(), i.tenant(), i.period(), i.total().toPlainString(), i.currency()));
                out.result(Map.of("invoices", all));
            }
        }

        @Command(name = "credit", mixinStandardHelpOptions = true, description = "Issue a credit note against an invoice.")
        static final class Credit implements Runnable {
            @Mixin Common common;
            @Parameters(index = "0") String invoice;
            @Option(names = "--amount", required = true) BigDecimal amount;
            @Option(names = "--reason", required = true) String reason;

            @Override
            public void run() {
                var note = common.billing().credit(Actor.cli(), invoice, amount, reason, System.currentTimeMillis());
                Output out = common.out();
                out.line("credit note %s: %s %s against %s", note.id(), note.amount().toPlainString(), note.currency(), invoice);
                out.result(note);
            }
        }

        private static void show(Common common, Invoice i, Path html, List<io.moxing.billing.CreditNote> credits) {
            Output out = common.out();
            out.line("%s  %s  period %s", i.id() == null ? "DRAFT" : i.id(), i.tenant(), i.period());
            i.lines().forEach(l -> out.line("  %-60s %14s x %-10s %12s", l.description(), l.quantity().toPlainString() + " " + l.unit(),
                    l.unitPrice().toPlainString(), l.amount().toPlainString()));
            out.line("  %-60s %40s %s", "Total", i.total().toPlainString(), i.currency());
            if (html != null) {
                AtomicFiles.writeString(html, InvoicePage.render(i, credits));
                out.line("printable page: %s", html);
            }
            out.result(i);
        }
    }

    @Command(name = "economics", mixinStandardHelpOptions = true,
            description = "Unit economics: cost and price per 1,000 requests, margins, break-even, economy of scale (table, PNG, HTML).")
    static final class EconomicsCommand implements Runnable {
        @Mixin Common common;
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

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "The admin audit log, newest first; checks its hash chain.")
    static final class Audit implements Runnable {
        @Mixin Common common;
        @Option(names = "--limit", defaultValue = "50") int limit;

        @Override
        public void run() {
            BillingAdmin b = common.billing();
            var entries = b.audit().recent(limit);
            long broken = b.audit().firstBroken();
            Output out = common.out();
            entries.forEach(e -> out.line("%5d %s %-24s %-12s %-20s %-28s %s", e.seq(), e.at(), e.actor(), e.source(), e.action(), e.target(),
                    e.detail()));
            out.line(broken < 0 ? "hash chain intact" : "hash chain BROKEN at entry " + broken + ": the log was edited");
            out.result(Map.of("entries", entries, "first_broken", broken));
            if (broken >= 0) throw new UserException("audit_broken", "audit log entry " + broken + " does not follow from its predecessor");
        }
    }

    @Command(name = "admin-token", mixinStandardHelpOptions = true,
            description = "Make a new admin token (revokes the old ones) and print it once.")
    static final class AdminToken implements Runnable {
        @Mixin Common common;

        @Override
        public void run() {
            String token = common.billing().newAdminToken(Actor.cli(), System.currentTimeMillis());
            Output out = common.out();
            out.line("admin token (shown once; earlier tokens no longer work):");
            out.line(token);
            out.result(Map.of("admin_token", token));
        }
    }
}
