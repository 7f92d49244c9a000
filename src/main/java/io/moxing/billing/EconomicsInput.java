package io.moxing.billing;

/** Charged usage summed for unit economics. */
public final class EconomicsInput {
    private EconomicsInput() {}

    public record ModelUsage(String plan, String model, long requests, long units, long computeUs) {}

    public record BatchUsage(int batchSize, long requests, long units, long computeUs) {}
}
