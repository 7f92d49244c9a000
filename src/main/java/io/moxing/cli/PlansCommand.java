package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.billing.Plan;
import io.moxing.billing.PlanKind;
import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plans", mixinStandardHelpOptions = true, description = "Plans: free, subscription, pay-per-use.",
        subcommands = {PlansCommand.Create.class, PlansCommand.ListPlans.class})
final class PlansCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a plan (plans never change; make a new one).")
    static final class Create implements Runnable {
        @Mixin BillingOptions common;
        @Parameters(index = "0", description = "Plan name, e.g. free, pro-2026.") String name;
        @Option(names = "--kind", required = true, description = "free, subscription or pay-per-use.") String kind;
        @Option(names = "--currency", defaultValue = "USD") String currency;
        @Option(names = "--quota", description = "Requests a month (free plans).") Long quota;
        @Option(names = "--rate", description = "Requests per second per tenant, shared by its keys (token-bucket refill); a key given a rate of its own (moxing keys create --rate) has its own bucket instead.") Double rate;
        @Option(names = "--burst", description = "Token-bucket size per tenant (default: one second of --rate).") Integer burst;
        @Option(names = "--monthly-fee", description = "Subscription fee a month.") BigDecimal fee;
        @Option(names = "--included", description = "Predictions a month's fee includes.") Long included;
        @Option(names = "--overage", description = "Price per prediction beyond the included ones.") BigDecimal overage;
        @Option(names = "--per-1000-predictions") BigDecimal per1000Predictions;
        @Option(names = "--per-1000-prompt-tokens") BigDecimal per1000Prompt;
        @Option(names = "--per-1000-completion-tokens") BigDecimal per1000Completion;
        @Option(names = "--per-compute-second") BigDecimal perComputeSecond;

        /**
         * The plan's fields as the options that set them: the plan's own rules name its fields as the admin API
         * spells them (monthly_fee), which a user of this command cannot type.
         */
        private static final Map<String, String> OPTION_OF_FIELD = Map.of("monthly_fee", "--monthly-fee",
                "overage_per_unit", "--overage", "included_units", "--included", "monthly_quota", "--quota",
                "rate_per_second", "--rate", "per_1000_predictions", "--per-1000-predictions",
                "per_1000_prompt_tokens", "--per-1000-prompt-tokens", "per_1000_completion_tokens",
                "--per-1000-completion-tokens", "per_compute_second", "--per-compute-second", "burst", "--burst");

        @Override
        public void run() {
            Plan asked;
            try {
                asked = new Plan(name, PlanKind.parse(kind), currency, quota, rate, burst, fee, included, overage,
                        per1000Predictions, per1000Prompt, per1000Completion, perComputeSecond);
            } catch (UserException e) {
                throw new UserException(e.code(), inOptions(e.getMessage()));
            }
            Plan plan = common.billing().createPlan(Actor.cli(), asked);
            Output out = common.out();
            out.line("created plan %s (%s, %s)", plan.name(), plan.kind().label(), plan.currency());
            out.result(plan);
        }
    }

    /**
     * A plan rule's message ("plan NAME: what is wrong") with every field it names after the plan's name replaced
     * by the option that sets it.
     */
    static String inOptions(String message) {
        int rule = message.indexOf(": ") + 1;
        String out = message.substring(rule);
        for (var e : Create.OPTION_OF_FIELD.entrySet()) out = out.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
        return message.substring(0, rule) + out;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List plans.")
    static final class ListPlans implements Runnable {
        @Mixin BillingOptions common;

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
