package io.moxing.cli;

import io.moxing.core.UserException;
import io.moxing.generate.Completion;
import io.moxing.generate.Sampler;
import io.moxing.predict.Predictor;
import io.moxing.registry.ModelRegistry;
import io.moxing.text.TokenCorpus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write text with a registered language model, streaming tokens as they are produced.")
final class GenerateCommand implements Runnable {
    @Parameters(index = "0", description = "MODEL or MODEL:VERSION (a language model, e.g. transformer-lm)") String model;
    @Option(names = "--prompt", description = "Text to continue (default: the start of a new entry).") String prompt;
    @Option(names = "--max-tokens", defaultValue = "200", description = "How many tokens to write.") int maxTokens;
    @Option(names = "--temperature", defaultValue = "0.8", description = "0 is greedy; higher is more varied.") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "Sample only among the K most likely tokens (0: all).") int topK;
    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling: the smallest set of tokens with this probability.") double topP;
    @Option(names = "--seed", defaultValue = "42", description = "The same seed writes the same text.") long seed;
    @Option(names = "--no-cache", description = "Re-run the whole window for every token (slower; for comparison).") boolean noCache;
    @Option(names = "--json", description = "Print the result as JSON on the last line.") boolean json;

    @Override
    public void run() {
        if (maxTokens <= 0 || maxTokens > 100_000) {
            throw new UserException("invalid_option", "--max-tokens " + maxTokens + " must be between 1 and 100000");
        }
        Sampler sampler = new Sampler(temperature, topK, topP, seed);
        var registry = new ModelRegistry(Main.home().models());
        try (Predictor predictor = Predictor.load(registry.resolve(model))) {
            String text = prompt == null || prompt.isEmpty() ? TokenCorpus.ENTRY_SEPARATOR.stripLeading() : prompt;
            List<String> unknown = predictor.tokenizer().unknownCharacters(text);
            if (!unknown.isEmpty()) {
                System.err.println("note: --prompt has characters " + model + " never saw in training ("
                        + String.join(" ", unknown.subList(0, Math.min(10, unknown.size()))) + "); it reads them as unknown");
            }
            int[] ids = predictor.encode(text);
            if (prompt != null) {
                System.out.print(prompt);
            }
            Completion written = predictor.complete(ids, maxTokens, sampler, List.of(), !noCache, (fresh, tokens) -> {
                System.out.print(fresh);
                System.out.flush();
                return true;
            });
            double seconds = written.computeNanos() / 1e9;
            System.out.println();
            Output out = new Output(System.out, json);
            out.line(String.format("-- %d tokens in %.2f s (%.0f tokens/s, %s)", written.completionTokens(), seconds,
                    written.completionTokens() / seconds, noCache ? "no cache" : "key/value cache"));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", predictor.card().ref());
            result.put("prompt", prompt == null ? "" : prompt);
            result.put("text", written.text());
            result.put("tokens", written.completionTokens());
            result.put("seconds", seconds);
            result.put("tokens_per_second", written.completionTokens() / seconds);
            result.put("cache", !noCache);
            out.result(result);
        }
    }
}
