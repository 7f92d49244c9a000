package io.moxing.billing;

/** Sums of charged usage over some span: what an invoice line multiplies by a price. */
public record UsageTotals(long requests, long units, long tokensIn, long tokensOut, long computeUs) {}
