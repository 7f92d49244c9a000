package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.core.Moments;
import io.moxing.core.UserException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tenants", mixinStandardHelpOptions = true, description = "Tenants (customers) and their plans.",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class, TenantsCommand.ChangePlan.class, TenantsCommand.Own.class})
final class TenantsCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant on a plan.")
    static final class Create implements Runnable {
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;

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
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;
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
