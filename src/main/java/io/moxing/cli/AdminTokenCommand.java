package io.moxing.cli;

import io.moxing.billing.Actor;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "admin-token", mixinStandardHelpOptions = true,
        description = "Make a new admin token (revokes the old ones) and print it once.")
final class AdminTokenCommand implements Runnable {
    @Mixin BillingOptions common;

    @Override
    public void run() {
        String token = common.billing().newAdminToken(Actor.cli(), System.currentTimeMillis());
        Output out = common.out();
        out.line("admin token (shown once; earlier tokens no longer work):");
        out.line(token);
        out.result(Map.of("admin_token", token));
    }
}
