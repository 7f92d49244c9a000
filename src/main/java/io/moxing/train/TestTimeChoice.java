package io.moxing.train;

import io.moxing.data.SplitData;
import io.moxing.eval.EvalResult;
import io.moxing.eval.Metrics;
import io.moxing.model.TestTimeAugmentation;
import io.moxing.predict.Inference;
import java.util.List;

/**
 * Decides a spec's {@link TestTimeAugmentation#AUTO} when its training ends: the trained network predicts the
 * validation split as it is and averaged with its mirror images, and the better of the two (accuracy for a
 * classifier, mean squared error otherwise) is what the registered version does. Only held-out samples can
 * decide: without a validation split the answer is {@link TestTimeAugmentation#NONE}, and the test split is never
 * read here.
 *
 * @param chosen   what the version's predictions do
 * @param plain    the validation score of the samples as they are; null when there was nothing to decide on
 * @param mirrored the validation score averaged with the mirror images; null likewise
 * @param metric   what the scores are: accuracy or mse
 */
public record TestTimeChoice(TestTimeAugmentation chosen, Double plain, Double mirrored, String metric) {

    static TestTimeChoice decide(Inference inference, SplitData validation, List<String> classes) {
        if (validation == null || validation.count() == 0) {
            return new TestTimeChoice(TestTimeAugmentation.NONE, null, null, null);
        }
        EvalResult plain = score(TestTimeAugmentation.NONE, inference, validation, classes);
        EvalResult mirrored = score(TestTimeAugmentation.HORIZONTAL_FLIP, inference, validation, classes);
        boolean accuracy = plain.accuracy() != null;
        double a = accuracy ? plain.accuracy() : plain.mse();
        double b = accuracy ? mirrored.accuracy() : mirrored.mse();
        // a tie keeps the cheaper prediction: the mirror image costs a second forward pass per sample
        boolean better = accuracy ? b > a : b < a;
        return new TestTimeChoice(better ? TestTimeAugmentation.HORIZONTAL_FLIP : TestTimeAugmentation.NONE, a, b,
                accuracy ? "accuracy" : "mse");
    }

    private static EvalResult score(TestTimeAugmentation t, Inference inference, SplitData split, List<String> classes) {
        float[][] outputs = t.predict(split.features(), split.sampleShape(), split.count(),
                (f, n) -> inference.run(f, split.sampleShape(), n, 500));
        return Metrics.of(split.name(), split.labels(), outputs, classes);
    }

    /** One line for a person: what was compared and what was kept. */
    String describe() {
        if (plain == null) {
            return "test-time augmentation 'auto': no validation split to decide on; the version predicts samples as they are";
        }
        return String.format("test-time augmentation 'auto': validation %s %.4f as the samples are, %.4f averaged with"
                + " their mirror images; the version predicts %s", metric, plain, mirrored,
                chosen == TestTimeAugmentation.HORIZONTAL_FLIP ? "both and averages them (twice the compute per sample)"
                        : "samples as they are");
    }
}
