package io.moxing.cli;

import io.moxing.predict.BuiltInEncoder;
import io.moxing.predict.EncoderImport;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.Pooling;
import io.moxing.registry.ModelVersion;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", description = "The model registry: list, show, import, export and delete versions.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.ImportEmbedding.class,
                ModelsCommand.Export.class, ModelsCommand.Delete.class})
final class ModelsCommand {

    static ModelRegistry registry() {
        return new ModelRegistry(Main.home().models());
    }

    /**
     * Metrics as the other tables print them, four decimals ({@code final_loss=0.0727 test_accuracy=0.8812});
     * a value below 0.001 keeps three significant digits rather than reading 0.0000. --json keeps full precision.
     */
    static String rounded(Map<String, Double> metrics) {
        StringJoiner line = new StringJoiner(" ");
        if (metrics != null) {
            metrics.forEach((name, value) -> line.add(name + "=" + (value == null ? "-"
                    : value != 0 && Math.abs(value) < 0.001 ? String.format("%.3g", value) : String.format("%.4f", value))));
        }
        return line.toString();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List model versions.")
    static final class ListModels implements Runnable {
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            List<ModelVersion> all = registry().list();
            if (all.isEmpty()) out.line("no models yet; train one with: moxing train cnn-28");
            for (ModelVersion v : all) {
                String what = v.encoder() != null ? v.encoder().dimensions() + "-d vectors" : rounded(v.metrics());
                out.line("%-24s %-15s %,12d params  %s  %s", v.ref(), v.task(), v.parameters(), what, v.createdAt());
            }
            out.result(Map.of("models", all));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a version's card and provenance.")
    static final class Show implements Runnable {
        @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String ref;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            ModelRegistry registry = registry();
            ModelVersion card = registry.card(ref);
            var provenance = registry.provenance(card.ref());
            if (provenance.imported() != null) {
                var e = card.encoder();
                var source = provenance.imported();
                out.line("%s  %s, %d-d vectors (%s pooling, unit length), texts up to %d tokens, %,d parameters", card.ref(),
                        card.task(), e.dimensions(), e.pooling(), e.maxTokens(), card.parameters());
                out.line("  imported from %s", source.origin());
                if (source.upstream() != null) out.line("  upstream %s, licence %s", source.upstream(), source.license());
                out.line("  %s sha256 %s", e.onnxFile(), source.modelSha256());
                out.line("  %s sha256 %s", e.tokenizerFile(), source.tokenizerSha256());
                out.line("  imported %s by code %s %s", provenance.startedAt(), provenance.code().version(),
                        provenance.code().commit());
            } else {
                out.line("%s  %s, input %s, %,d parameters", card.ref(), card.task(), card.inputShape(), card.parameters());
                if (provenance.compressed() != null) {
                    var c = provenance.compressed();
                    out.line("  compressed from %s by %s (test accuracy %.4f -> %.4f, weights %.2fx smaller), data %s:%s",
                            c.source(), c.method(), c.accuracyBefore(), c.accuracyAfter(), c.sizeRatio(),
                            provenance.dataset().name(), provenance.dataset().version());
                } else {
                    out.line("  trained by run %s on %s:%s (sha256 %s)", provenance.runId(), provenance.dataset().name(),
                            provenance.dataset().version(), provenance.dataset().sha256());
                }
                out.line("  seed %d, %d epochs, %.1f s, code %s %s", provenance.seed(), provenance.epochsCompleted(),
                        provenance.durationSeconds(), provenance.code().version(), provenance.code().commit());
                out.line("  metrics %s", rounded(provenance.metrics()));
                if (provenance.spec() != null && provenance.spec().path("test_time_augmentation").asText("none").equals(
                        io.moxing.model.TestTimeAugmentation.HORIZONTAL_FLIP.wireName())) {
                    out.line("  predicts each image and its mirror image and averages them (test-time augmentation"
                            + " horizontal_flip: twice the compute per image)");
                }
                out.line("  parameters sha256 %s", card.parametersSha256());
            }
            out.line("  files: %s", registry.resolve(card.ref()));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", card);
            result.put("provenance", provenance);
            out.result(result);
        }
    }

    @Command(name = "import-embedding", mixinStandardHelpOptions = true,
            description = "Register a pretrained sentence encoder (for POST /v1/embeddings): a built-in one by name"
                    + " (all-minilm-l6-v2: English, 384-d; bge-small-zh-v15: Chinese, 512-d), or your own with --onnx and"
                    + " --tokenizer.")
    static final class ImportEmbedding implements Runnable {
        @Parameters(index = "0", arity = "0..1", description = "A built-in encoder: all-minilm-l6-v2 or bge-small-zh-v15.")
        String builtIn;
        @Option(names = "--name", description = "Register it under this name (default: the built-in's name; required"
                + " with --onnx).") String name;
        @Option(names = "--onnx", description = "Your own encoder's ONNX file (BERT-style: input_ids, attention_mask"
                + " [, token_type_ids] in; token vectors or sentence vectors out).") Path onnx;
        @Option(names = "--tokenizer", description = "Its Hugging Face tokenizer.json.") Path tokenizer;
        @Option(names = "--pooling", defaultValue = "mean", description = "With --onnx: mean or cls (the model card"
                + " says which; default: ${DEFAULT-VALUE}).") String pooling;
        @Option(names = "--max-tokens", defaultValue = "512", description = "With --onnx: the longest text it takes, special"
                + " tokens included (default: ${DEFAULT-VALUE}).") int maxTokens;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            ModelVersion card;
            if (builtIn != null) {
                if (onnx != null || tokenizer != null) {
                    throw new io.moxing.core.UserException("invalid_option", "give either a built-in encoder's name or"
                            + " --onnx FILE --tokenizer FILE, not both");
                }
                BuiltInEncoder encoder = BuiltInEncoder.named(builtIn);
                card = EncoderImport.builtIn(registry(), encoder, name != null ? name : encoder.name());
            } else {
                if (onnx == null || tokenizer == null || name == null) {
                    throw new io.moxing.core.UserException("invalid_option", "import a built-in encoder by name ("
                            + BuiltInEncoder.ALL.stream().map(BuiltInEncoder::name).toList() + ") or your own with"
                            + " --onnx FILE --tokenizer FILE --name NAME");
                }
                card = EncoderImport.files(registry(), name, onnx, tokenizer, maxTokens, Pooling.parse(pooling));
            }
            out.line("registered %s: %d-d sentence encoder, %,d parameters, model sha256 %s", card.ref(),
                    card.encoder().dimensions(), card.parameters(), card.parametersSha256());
            out.line("serve it with: moxing deploy %s, then POST /v1/embeddings {\"model\": \"%s\", \"input\": \"...\"}",
                    card.name(), card.name());
            out.result(Map.of("model", card));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write a version as a zip archive.")
    static final class Export implements Runnable {
        @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String ref;
        @Option(names = {"-o", "--output"}, description = "Archive path (default: NAME-VERSION.zip).") Path output;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            ModelVersion card = registry().card(ref);
            Path target = output != null ? output : Path.of(card.name() + "-" + card.version() + ".zip");
            registry().export(card.ref(), target);
            out.line("exported %s to %s", card.ref(), target);
            out.result(Map.of("model", card.ref(), "archive", target.toAbsolutePath().toString()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one version (MODEL:VERSION).")
    static final class Delete implements Runnable {
        @Parameters(index = "0", description = "MODEL:VERSION") String ref;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            ModelVersion card = registry().delete(ref);
            out.line("deleted %s", card.ref());
            out.result(Map.of("deleted", card.ref()));
        }
    }
}
