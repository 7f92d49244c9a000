package io.moxing.cli;

import io.moxing.billing.Actor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "admin-token", mixinStandardHelpOptions = true,
        description = "Make a new admin token (revokes the old ones): printed once on a terminal, otherwise written to"
                + " <data directory>/secrets/admin-token (owner-only) and its path printed.")
final class AdminTokenCommand implements Runnable {
    @Mixin BillingOptions common;

    @Override
    public void run() {
        String token = common.billing().newAdminToken(Actor.cli(), System.currentTimeMillis());
        Output out = common.out();
        out.result(AdminTokenHandover.forThisProcess(Main.home())
                .handOver(token, out, "earlier tokens no longer work"));
    }
}
