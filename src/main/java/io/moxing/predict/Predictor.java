package io.moxing.predict;

import io.moxing.generate.Completion;
import io.moxing.generate.ContinuousBatcher;
import io.moxing.generate.FinishReason;
import io.moxing.generate.Sampler;
import io.moxing.generate.StopScanner;
import io.moxing.generate.TextGenerator;
import io.moxing.generate.TextListener;
import io.moxing.generate.TextStream;
import io.moxing.registry.ModelVersion;
import io.moxing.text.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The one home for running a registered version: it owns the loaded model, its output head and
 * normalisation (through the card), and a language model's tokenizer, loaded once; it predicts, explains,
 * and writes text. The server's routes and the CLI's commands only translate requests into these calls.
 * Thread-safe: each call makes its own temporaries (a language model's writers each run one text at a time).
 */
public final class Predictor implements AutoCloseable {
    private final LoadedModel model;
    /** Null unless a language model. */
    private final Tokenizer tokenizer;
    /** Null unless {@link #batchGeneration} turned continuous batching on (a server's language model). */
    private volatile ContinuousBatcher batcher;

    private Predictor(LoadedModel model) {
        this.model = model;
        this.tokenizer = model.card().task().isLanguageModel() ? model.tokenizer() : null;
    }

    public static Predictor load(Path versionDir) {
        LoadedModel model = LoadedModel.load(versionDir);
        try {
            return new Predictor(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelVersion card() {
        return model.card();
    }

    public boolean isLanguageModel() {
        return tokenizer != null;
    }

    /** The shape of one sample, without the batch dimension. */
    public long[] sampleShape() {
        return model.sampleShape();
    }

    /** How many numbers the model answers per sample. */
    public int outputWidth() {
        return model.compiled().outputShape().get(0).intValue();
    }

    /** Outputs (probabilities for classifiers) for samples already normalised and packed end to end. */
    public float[][] predict(float[] features, int count) {
        return model.predict(features, count);
    }

    /**
     * Why the model answers {@code sample} as it does: an occlusion map for an image (channels x height x width),
     * per-feature attributions for a row. The perturbed inputs run as one batch.
     */
    public Explanation explain(float[] sample) {
        List<Integer> shape = card().inputShape();
        if ("image".equals(card().dataKind()) && shape.size() == 3) {
            return Explanations.occlusion(model, sample, shape.get(0), shape.get(1), shape.get(2));
        }
        return Explanations.features(model, sample);
    }

    /** A language model's tokenizer. */
    public Tokenizer tokenizer() {
        requireLanguageModel();
        return tokenizer;
    }

    /**
     * A text's token ids. A character the tokenizer never saw does not fail: a character tokenizer reads it as
     * its unknown token, byte-level BPE as its bytes.
     */
    public int[] encode(String text) {
        return tokenizer().encode(text);
    }

    /** The longest prompt the model reads at once, in tokens. */
    public int context() {
        requireLanguageModel();
        return model.compiled().spec().input().get(0);
    }

    /**
     * Writes up to {@code maxTokens} tokens after {@code prompt} (with the key/value cache), ending early at the
     * first of {@code stop}. {@code listener} hears each token with the text it completed (a half character or
     * what may be the start of a stop sequence is held back until settled); when it answers false the text ends
     * there, as {@link FinishReason#CANCELLED}.
     */
    public Completion complete(int[] prompt, int maxTokens, Sampler sampler, List<String> stop, TextListener listener) {
        return complete(prompt, maxTokens, sampler, stop, true, listener);
    }

    /** As {@link #complete(int[], int, Sampler, List, TextListener)}, without the cache when {@code useCache} is false. */
    public Completion complete(int[] prompt, int maxTokens, Sampler sampler, List<String> stop, boolean useCache,
                               TextListener listener) {
        requireLanguageModel();
        TextStream characters = new TextStream(tokenizer);
        StopScanner stops = new StopScanner(stop);
        StringBuilder text = new StringBuilder();
        FinishReason[] finish = {FinishReason.LENGTH};
        int[] count = {0};
        long start = System.nanoTime();
        generate(prompt, maxTokens, sampler, useCache, token -> {
            count[0]++;
            StopScanner.Step step = stops.add(characters.add(token));
            text.append(step.text());
            if (step.stopped()) finish[0] = FinishReason.STOP;
            if (!listener.accept(step.text(), count[0])) {
                if (!step.stopped()) finish[0] = FinishReason.CANCELLED;
                return false;
            }
            return !step.stopped();
        });
        if (finish[0] == FinishReason.LENGTH) {
            // what was held back at the end: a partial character, or the start of a stop sequence that never came
            StopScanner.Step last = stops.add(characters.finish());
            String rest = last.text() + stops.finish();
            text.append(rest);
            if (last.stopped()) finish[0] = FinishReason.STOP;
            if (!rest.isEmpty() && !listener.accept(rest, count[0])) finish[0] = FinishReason.CANCELLED;
        }
        return new Completion(text.toString(), prompt.length, count[0], finish[0], System.nanoTime() - start);
    }

    /**
     * From now on texts are written through continuous batching: up to {@code slots} of them share each decode
     * step, and more wait in a queue of {@code queue}. For a server, where requests arrive concurrently; the
     * CLI's single text runs alone.
     */
    public synchronized void batchGeneration(int slots, int queue, String name) {
        requireLanguageModel();
        if (batcher == null) batcher = new ContinuousBatcher(model.compiled(), model.manager(), slots, queue, name);
    }

    /** The tokens of one text, from the batcher when it is on (waiting for its turn), else written here. */
    private void generate(int[] prompt, int maxTokens, Sampler sampler, boolean useCache, IntPredicate onToken) {
        ContinuousBatcher b = batcher;
        if (b == null || !useCache) {
            new TextGenerator(model.compiled(), model.manager()).generateWhile(prompt, maxTokens, sampler, useCache, onToken);
            return;
        }
        ContinuousBatcher.Generation g = b.submit(prompt, maxTokens, sampler, onToken::test);
        if (g == null) {
            throw new io.moxing.core.UserException("generation_queue_full", "every generation slot of " + card().ref()
                    + " is taken and its queue is full; retry shortly");
        }
        try {
            g.result().get();
        } catch (InterruptedException e) {
            g.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void requireLanguageModel() {
        if (tokenizer == null) {
            throw new io.moxing.core.UserException("not_a_language_model", card().ref() + " is a " + card().task()
                    + " model; text generation needs a language model (e.g. moxing train transformer-lm)");
        }
    }

    @Override
    public void close() {
        ContinuousBatcher b = batcher;
        if (b != null) b.close();
        model.close();
    }
}
