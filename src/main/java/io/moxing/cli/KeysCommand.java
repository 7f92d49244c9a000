package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.core.Moments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "API keys (shown once at creation, stored hashed).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key for a tenant; it is printed once.")
    static final class Create implements Runnable {
        @Mixin BillingOptions common;
        @Parameters(index = "0") String tenant;
        @Option(names = "--name", description = "What the key is for.") String name;
        @Option(names = "--models", split = ",", description = "Only these deployments (default: all the tenant may call).")
        Set<String> models;
        @Option(names = "--rate", description = "Own rate limit per second, in --rate-unit (default: the plan's).") Double rate;
        @Option(names = "--rate-unit", defaultValue = "requests",
                description = "What --rate and --burst count: requests, predictions (each sample of a request), or tokens (a language"
                        + " model's prompt and answer; the most the answer may write is taken up front, the unused part given back).")
        String rateUnit;
        @Option(names = "--burst", description = "Requests the key may send at once (default: its --rate rounded up, else the plan's burst).") Integer burst;
        @Option(names = "--expires", description = "Day or instant after which the key is refused.") String expires;

        @Override
        public void run() {
            var key = common.billing().issueKey(Actor.cli(), tenant, name, models, rate, burst, io.moxing.billing.RateUnit.parse(rateUnit), expires == null ? null : Moments.parse("--expires", expires),
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
        @Mixin BillingOptions common;
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
        @Mixin BillingOptions common;
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
