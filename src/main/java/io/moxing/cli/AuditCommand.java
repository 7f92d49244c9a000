package io.moxing.cli;

import io.moxing.billing.BillingAdmin;
import io.moxing.core.UserException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The admin audit log, newest first; checks its hash chain.")
final class AuditCommand implements Runnable {
    @Mixin BillingOptions common;
    @Option(names = "--limit", defaultValue = "50", description = "How many entries, newest first (1 to 1000000; default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public void run() {
        if (limit < 1 || limit > 1_000_000) {
            throw new UserException("invalid_option", "--limit " + limit + ": give a whole number from 1 to 1000000");
        }
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
