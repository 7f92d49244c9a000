package io.moxing.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a model answered as it did, by perturbing the input and watching the answer move. For an image:
 * occlusion sensitivity (Zeiler and Fergus): a grey patch slides over the image and the map records how
 * much the predicted class's probability falls with the patch at each place. For a row of numbers: each
 * feature in turn is set to zero (the training mean, as rows are standardised) and its attribution is
 * the change of the output. All perturbed inputs run as one batch.
 */
final class Explanations {
    private Explanations() {}

    static Explanation.Occlusion occlusion(LoadedModel model, float[] image, int channels, int height, int width) {
        int patch = Math.max(2, Math.min(height, width) / 7);
        int stride = Math.max(1, patch / 2);
        int rows = (height - patch) / stride + 1;
        int cols = (width - patch) / stride + 1;
        float fill = mean(image);
        float[] batch = new float[(rows * cols + 1) * image.length];
        System.arraycopy(image, 0, batch, 0, image.length);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int offset = (1 + r * cols + c) * image.length;
                System.arraycopy(image, 0, batch, offset, image.length);
                for (int ch = 0; ch < channels; ch++) {
                    for (int y = r * stride; y < r * stride + patch; y++) {
                        for (int x = c * stride; x < c * stride + patch; x++) {
                            batch[offset + ch * height * width + y * width + x] = fill;
                        }
                    }
                }
            }
        }
        float[][] outputs = model.predict(batch, rows * cols + 1);
        float[] base = probabilities(outputs[0]);
        int best = argMax(base);
        double[][] drop = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                drop[r][c] = base[best] - probabilities(outputs[1 + r * cols + c])[best];
            }
        }
        return new Explanation.Occlusion(best, base[best], drop, patch, stride);
    }

    /** Per-feature attributions of a row: output(row) - output(row with the feature zeroed), for the first output. */
    static Explanation.Attributions features(LoadedModel model, float[] row) {
        float[] batch = new float[(row.length + 1) * row.length];
        for (int i = 0; i <= row.length; i++) {
            System.arraycopy(row, 0, batch, i * row.length, row.length);
            if (i > 0) batch[i * row.length + i - 1] = 0f;
        }
        float[][] outputs = model.predict(batch, row.length + 1);
        boolean classifier = model.card().task().isClassification();
        float[] base = classifier ? probabilities(outputs[0]) : outputs[0];
        int target = classifier ? argMax(base) : 0;
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            float[] perturbed = classifier ? probabilities(outputs[i + 1]) : outputs[i + 1];
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("feature", i);
            a.put("value", row[i]);
            a.put("attribution", base[target] - perturbed[target]);
            out.add(a);
        }
        return new Explanation.Attributions(out);
    }

    private static float[] probabilities(float[] output) {
        return Predictions.classProbabilities(output);
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static float mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return (float) (s / v.length);
    }
}
