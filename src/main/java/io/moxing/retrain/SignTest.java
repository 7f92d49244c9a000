package io.moxing.retrain;

/**
 * Whether one model's advantage over another on the same rows is more than chance: of the rows where exactly
 * one of the two is right (the others say nothing about which is better), how likely it is that the first
 * would be right on at least as many if both were equally good — the one-sided sign test (McNemar's exact form).
 */
record SignTest(int better, int worse, double pValue) {
    /** {@code better}: rows only the candidate gets right; {@code worse}: rows only the other gets right. */
    static SignTest of(int better, int worse) {
        int n = better + worse;
        if (n == 0) return new SignTest(0, 0, 1.0);
        // P(X >= better) for X ~ Binomial(n, 1/2), summed in log space (n can be thousands)
        double[] logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        double p = 0;
        for (int k = better; k <= n; k++) {
            p += Math.exp(logFactorial[n] - logFactorial[k] - logFactorial[n - k] - n * Math.log(2));
        }
        return new SignTest(better, worse, Math.min(1.0, p));
    }

    boolean significant() {
        return pValue < 0.05;
    }
}
