package io.moxing.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moxing.model.CompiledModel;
import io.moxing.text.BigramModel;
import io.moxing.text.TokenCorpus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained language model's perplexity on the validation and test streams, next to a character
 * bigram fitted on the same training stream and scored on the same validation stream, so the
 * comparison comes out of one command.
 */
public record LanguageModelScores(Double validationPerplexity, Double testPerplexity, double bigramPerplexity) {

    public static LanguageModelScores of(CompiledModel compiled, NDManager manager, TokenCorpus corpus) {
        int context = compiled.spec().input().get(0);
        BigramModel bigram = BigramModel.fit(corpus.train(), corpus.tokenizer().vocabularySize());
        return new LanguageModelScores(perplexity(compiled, manager, corpus.validation(), context),
                perplexity(compiled, manager, corpus.test(), context), bigram.perplexity(corpus.validation()));
    }

    private static Double perplexity(CompiledModel compiled, NDManager manager, int[] tokens, int context) {
        if (tokens.length <= context) {
            return null;
        }
        try (TensorData data = TensorData.windows(manager, tokens, context)) {
            Evaluation.Score score = Evaluation.score(compiled.block(), new ParameterStore(manager, false), manager, data,
                    Losses.of(compiled.spec().loss()), Targets.NEXT_TOKEN);
            return Math.exp(score.loss());
        }
    }

    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (validationPerplexity != null) m.put("val_perplexity", validationPerplexity);
        if (testPerplexity != null) m.put("test_perplexity", testPerplexity);
        if (Double.isFinite(bigramPerplexity)) m.put("bigram_perplexity", bigramPerplexity);
        return m;
    }
}
