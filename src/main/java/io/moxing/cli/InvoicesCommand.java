package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoicePage;
import io.moxing.core.AtomicFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invoices", mixinStandardHelpOptions = true, description = "Invoices and credit notes.",
        subcommands = {InvoicesCommand.Preview.class, InvoicesCommand.Issue.class, InvoicesCommand.ListInvoices.class, InvoicesCommand.Credit.class})
final class InvoicesCommand {
    @Command(name = "preview", mixinStandardHelpOptions = true, description = "The invoice a period would get now (not issued).")
    static final class Preview implements Runnable {
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;
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

    private static void show(BillingOptions common, Invoice i, Path html, List<io.moxing.billing.CreditNote> credits) {
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
