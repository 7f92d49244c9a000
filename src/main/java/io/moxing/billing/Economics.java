package io.moxing.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unit economics of a period: per model and plan, what 1,000 requests cost us in compute and what they
 * brought in, the gross margin, the monthly volume at which the margin pays the fixed costs, and how the
 * cost per request falls as batches fill (measured) and as fixed costs spread over more traffic.
 */
public final class Economics {
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);
    public static final long[] VOLUMES = {1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Economics() {}

    public record Row(String model, String plan, long requests, double computeMsPerRequest, BigDecimal revenue,
                      @JsonProperty("cost_per_1000") BigDecimal costPer1000, @JsonProperty("price_per_1000") BigDecimal pricePer1000,
                      BigDecimal grossMarginPercent) {}

    public record BatchRow(int batchSize, long requests, double computeMsPerPrediction,
                           @JsonProperty("cost_per_1000_predictions") BigDecimal costPer1000Predictions) {}

    /** Cost per 1,000 requests at a monthly volume, fixed costs included, at the period's mean compute. */
    public record VolumeRow(long requestsPerMonth, @JsonProperty("cost_per_1000") BigDecimal costPer1000,
                            @JsonProperty("price_per_1000") BigDecimal pricePer1000) {}

    public record Report(String period, Costs costs, List<Row> rows, List<BatchRow> batches, List<VolumeRow> volumes,
                         long requests, BigDecimal revenue, BigDecimal computeCost, BigDecimal grossMarginPercent,
                         Long breakEvenRequestsPerMonth) {}

    /**
     * @param revenueByPlan what each plan billed in the period (from the invoices' lines); it is shared among
     *                      the plan's models in proportion to the predictions they served
     */
    public static Report report(String period, Costs costs, List<EconomicsInput.ModelUsage> usage,
                                List<EconomicsInput.BatchUsage> batches, Map<String, BigDecimal> revenueByPlan) {
        Map<String, Long> unitsByPlan = new java.util.HashMap<>();
        usage.forEach(u -> unitsByPlan.merge(u.plan(), u.units(), Long::sum));
        List<Row> rows = new ArrayList<>();
        long requests = 0;
        long computeUs = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (EconomicsInput.ModelUsage u : usage) {
            BigDecimal planRevenue = revenueByPlan.getOrDefault(u.plan(), BigDecimal.ZERO);
            long planUnits = unitsByPlan.get(u.plan());
            BigDecimal share = planUnits == 0 ? BigDecimal.ZERO
                    : planRevenue.multiply(BigDecimal.valueOf(u.units())).divide(BigDecimal.valueOf(planUnits), MC);
            BigDecimal cost = compute(costs, u.computeUs());
            rows.add(new Row(u.model(), u.plan(), u.requests(), u.requests() == 0 ? 0 : u.computeUs() / 1000.0 / u.requests(),
                    money(share), per1000(cost, u.requests()), per1000(share, u.requests()), margin(share, cost)));
            requests += u.requests();
            computeUs += u.computeUs();
            revenue = revenue.add(share);
        }
        List<BatchRow> batchRows = new ArrayList<>();
        for (EconomicsInput.BatchUsage b : batches) {
            batchRows.add(new BatchRow(b.batchSize(), b.requests(), b.units() == 0 ? 0 : b.computeUs() / 1000.0 / b.units(),
                    per1000(compute(costs, b.computeUs()), b.units())));
        }
        BigDecimal computeCost = compute(costs, computeUs);
        BigDecimal variablePerRequest = requests == 0 ? BigDecimal.ZERO : computeCost.divide(BigDecimal.valueOf(requests), MC);
        BigDecimal pricePerRequest = requests == 0 ? BigDecimal.ZERO : revenue.divide(BigDecimal.valueOf(requests), MC);
        List<VolumeRow> volumes = new ArrayList<>();
        for (long v : VOLUMES) {
            BigDecimal perRequest = variablePerRequest.add(costs.fixedMonthly().divide(BigDecimal.valueOf(v), MC));
            volumes.add(new VolumeRow(v, money(perRequest.multiply(THOUSAND)), money(pricePerRequest.multiply(THOUSAND))));
        }
        BigDecimal contribution = pricePerRequest.subtract(variablePerRequest);
        Long breakEven = contribution.signum() <= 0 ? null
                : costs.fixedMonthly().divide(contribution, 0, RoundingMode.CEILING).longValueExact();
        return new Report(period, costs, rows, batchRows, volumes, requests, money(revenue), money(computeCost),
                margin(revenue, computeCost), breakEven);
    }

    private static BigDecimal compute(Costs costs, long computeUs) {
        return costs.perComputeHour().multiply(BigDecimal.valueOf(computeUs)).divide(MICROS_PER_HOUR, MC);
    }

    private static BigDecimal per1000(BigDecimal amount, long count) {
        // six significant digits: the compute cost of 1,000 small predictions is a few millionths of a dollar
        return count == 0 ? null : amount.multiply(THOUSAND).divide(BigDecimal.valueOf(count), new MathContext(6, RoundingMode.HALF_UP));
    }

    private static BigDecimal margin(BigDecimal revenue, BigDecimal cost) {
        return revenue.signum() == 0 ? null
                : revenue.subtract(cost).multiply(BigDecimal.valueOf(100)).divide(revenue, MC).setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(6, RoundingMode.HALF_UP);
    }
}
