package io.moxing.automl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A two-class table whose best possible accuracy is known in closed form, to check that a search finds
 * a near-optimal model: equal priors, class c ~ N(mu_c, I) in {@code dimensions} dimensions, the means
 * {@code separation} apart along a fixed direction that mixes the first {@code informative} features. The
 * Bayes rule is the hyperplane half-way between the means, and its accuracy is Phi(separation / 2).
 *
 * @param informative features the class means differ in (the rest are noise)
 */
public record GaussianProblem(int dimensions, int informative, double separation) {

    public GaussianProblem {
        if (informative < 1 || informative > dimensions || !(separation > 0)) {
            throw new IllegalArgumentException("need 1 <= informative <= dimensions and separation > 0");
        }
    }

    /** The accuracy of the Bayes-optimal classifier: Phi(separation / 2). */
    public double bayesAccuracy() {
        return normalCdf(separation / 2);
    }

    /** Writes {@code rows} samples as CSV (x0..x{d-1}, label 0 or 1), drawn with {@code seed}. */
    public void writeCsv(Path file, int rows, long seed) {
        Random random = new Random(seed);
        // the mean difference spread evenly over the informative features: |mu1 - mu0| = separation
        double offset = separation / 2 / Math.sqrt(informative);
        try (Writer out = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < dimensions; j++) header.append('x').append(j).append(',');
            out.write(header.append("label\n").toString());
            for (int i = 0; i < rows; i++) {
                int label = random.nextBoolean() ? 1 : 0;
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < dimensions; j++) {
                    double mean = j < informative ? (label == 1 ? offset : -offset) : 0;
                    row.append(String.format(java.util.Locale.ROOT, "%.5f", mean + random.nextGaussian())).append(',');
                }
                out.write(row.append(label).append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
