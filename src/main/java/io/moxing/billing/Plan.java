package io.moxing.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * What a tenant pays and may do. A plan is immutable once created, so an invoice can always be
 * recomputed from usage and the plans it names; new prices are a new plan.
 *
 * @param monthlyQuota            requests a month (free plans; null = unlimited)
 * @param ratePerSecond           token-bucket refill per tenant, shared by its keys (null = unlimited); a key may be given its own
 * @param burst                   token-bucket size per tenant
 * @param monthlyFee              subscription fee for a whole month (pro-rated for part of one)
 * @param includedUnits           units (predictions) a whole month's fee includes
 * @param overagePerUnit          price per unit beyond the included ones
 * @param per1000Predictions      pay-per-use price per 1,000 predictions
 * @param per1000PromptTokens     pay-per-use price per 1,000 prompt tokens
 * @param per1000CompletionTokens pay-per-use price per 1,000 completion tokens
 * @param perComputeSecond        pay-per-use price per second of model compute
 */
public record Plan(String name, PlanKind kind, String currency, Long monthlyQuota, Double ratePerSecond, Integer burst,
                   BigDecimal monthlyFee, Long includedUnits, BigDecimal overagePerUnit,
                   @JsonProperty("per_1000_predictions") BigDecimal per1000Predictions,
                   @JsonProperty("per_1000_prompt_tokens") BigDecimal per1000PromptTokens,
                   @JsonProperty("per_1000_completion_tokens") BigDecimal per1000CompletionTokens, BigDecimal perComputeSecond) {

    /** Checks the terms a plan of its kind needs; every problem names the field. */
    public Plan {
        Names.check("plan", name);
        if (kind == null) throw new UserException("missing_field", "plan " + name + ": kind is required (free, subscription, pay-per-use)");
        currency = currency == null ? "USD" : currency.toUpperCase(java.util.Locale.ROOT);
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid_field", "plan " + name + ": currency '" + currency + "' is not an ISO 4217 code such as USD or EUR");
        }
        positive(name, "monthly_quota", monthlyQuota);
        positive(name, "burst", burst == null ? null : burst.longValue());
        if (ratePerSecond != null && !(ratePerSecond > 0 && Double.isFinite(ratePerSecond))) {
            throw new UserException("invalid_field", "plan " + name + ": rate_per_second must be a positive number");
        }
        if (ratePerSecond != null && burst == null) burst = (int) Math.max(1, Math.ceil(ratePerSecond));
        for (var price : new Object[][] {{"monthly_fee", monthlyFee}, {"overage_per_unit", overagePerUnit},
                {"per_1000_predictions", per1000Predictions}, {"per_1000_prompt_tokens", per1000PromptTokens},
                {"per_1000_completion_tokens", per1000CompletionTokens}, {"per_compute_second", perComputeSecond}}) {
            if (price[1] != null && ((BigDecimal) price[1]).signum() < 0) {
                throw new UserException("invalid_field", "plan " + name + ": " + price[0] + " must not be negative");
            }
        }
        if (includedUnits != null && includedUnits < 0) {
            throw new UserException("invalid_field", "plan " + name + ": included_units must not be negative");
        }
        switch (kind) {
            case FREE -> {
                if (monthlyFee != null || overagePerUnit != null || per1000Predictions != null || perComputeSecond != null
                        || per1000PromptTokens != null || per1000CompletionTokens != null) {
                    throw new UserException("invalid_field", "plan " + name + ": a free plan has no prices; give monthly_quota and rate_per_second");
                }
            }
            case SUBSCRIPTION -> {
                if (monthlyFee == null) throw new UserException("missing_field", "plan " + name + ": a subscription needs monthly_fee");
                if (includedUnits == null) includedUnits = 0L;
                if (overagePerUnit == null) {
                    throw new UserException("missing_field", "plan " + name + ": a subscription needs overage_per_unit (0 for none)");
                }
            }
            case PAY_PER_USE -> {
                if (per1000Predictions == null && per1000PromptTokens == null && per1000CompletionTokens == null
                        && perComputeSecond == null) {
                    throw new UserException("missing_field", "plan " + name + ": a pay-per-use plan needs at least one of"
                            + " per_1000_predictions, per_1000_prompt_tokens, per_1000_completion_tokens, per_compute_second");
                }
            }
        }
    }

    private static void positive(String plan, String field, Long value) {
        if (value != null && value <= 0) {
            throw new UserException("invalid_field", "plan " + plan + ": " + field + " must be a positive whole number");
        }
    }

    public static Plan free(String name, long monthlyQuota, double ratePerSecond, int burst) {
        return new Plan(name, PlanKind.FREE, "USD", monthlyQuota, ratePerSecond, burst, null, null, null, null, null, null, null);
    }

    public static Plan subscription(String name, String currency, BigDecimal monthlyFee, long includedUnits, BigDecimal overagePerUnit) {
        return new Plan(name, PlanKind.SUBSCRIPTION, currency, null, null, null, monthlyFee, includedUnits, overagePerUnit,
                null, null, null, null);
    }

    public static Plan payPerUse(String name, String currency, BigDecimal per1000Predictions, BigDecimal per1000PromptTokens,
                                 BigDecimal per1000CompletionTokens, BigDecimal perComputeSecond) {
        return new Plan(name, PlanKind.PAY_PER_USE, currency, null, null, null, null, null, null, per1000Predictions,
                per1000PromptTokens, per1000CompletionTokens, perComputeSecond);
    }
}
