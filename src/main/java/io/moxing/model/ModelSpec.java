package io.moxing.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A model as a declarative JSON document: input shape, layers, loss, optimizer and training
 * hyper-parameters. Built-in templates and users' own files are read the same way.
 *
 * @param task        classification, regression or language modelling
 * @param input       the shape of one sample (e.g. [1, 28, 28])
 * @param initializer glorot_uniform (Keras' default), he_normal, or uniform01 (uniform in [0,1), the toy MLP's)
 * @param data        an optional data set written into the spec
 * @param probe       inputs whose predictions are printed after training
 * @param dataset     the data set this recipe trains on when --data is not given
 * @param text        for language models: the tokenizer and its vocabulary; null otherwise
 * @param testTimeAugmentation what a prediction does to a sample first (none by default; {@link TestTimeAugmentation})
 */
public record ModelSpec(
        int formatVersion,
        String name,
        String description,
        Task task,
        List<Integer> input,
        List<LayerSpec> layers,
        String loss,
        String initializer,
        OptimizerSpec optimizer,
        TrainingSpec training,
        InlineData data,
        float[][] probe,
        String dataset,
        TextSpec text,
        TestTimeAugmentation testTimeAugmentation) {

    public static final int FORMAT_VERSION = 1;
    static final Set<String> LOSSES = Set.of("cross_entropy", "binary_cross_entropy", "mse", "mae");
    static final Set<String> INITIALIZERS = Set.of("glorot_uniform", "he_normal", "uniform01", "normal02");
    /** The tasks a spec can be trained for; nothing compiles an embedding model yet. */
    static final Set<Task> TASKS = EnumSet.of(Task.CLASSIFICATION, Task.REGRESSION, Task.LANGUAGE_MODELING);
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = Json.MAPPER.copy()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Set<String> FIELDS = Set.of("format_version", "name", "description", "task", "input", "layers",
            "loss", "initializer", "optimizer", "training", "data", "probe", "dataset", "text", "test_time_augmentation");

    public ModelSpec {
        layers = List.copyOf(layers);
        input = List.copyOf(input);
        testTimeAugmentation = testTimeAugmentation == null ? TestTimeAugmentation.NONE : testTimeAugmentation;
    }

    public static ModelSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("file_not_found", file + ": no such spec file; give a template name"
                    + " (moxing templates) or the path of a JSON spec");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static ModelSpec parse(String json, String origin) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException("invalid_json", origin + ": line " + e.getLocation().getLineNr() + ": not valid JSON ("
                    + e.getOriginalMessage().split("\n")[0] + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new UserException("invalid_spec", origin + ": a spec must be a JSON object");
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new UserException("invalid_spec", origin + ": unknown field \"" + f + "\"; a spec has " + FIELDS);
            }
        });
        int version = root.path("format_version").asInt(FORMAT_VERSION);
        if (version > FORMAT_VERSION) {
            throw new UserException("unsupported_format", origin + ": format_version " + version
                    + " is newer than this Moxing understands (" + FORMAT_VERSION + "); upgrade Moxing");
        }
        String name = text(root, "name", origin, null);
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new UserException("invalid_spec", origin + ": name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        Task task = Task.parse(text(root, "task", origin, Task.CLASSIFICATION.wireName()), origin + ": task", TASKS,
                "invalid_spec");
        List<Integer> input = new ArrayList<>();
        JsonNode in = root.get("input");
        if (in == null || !in.isArray() || in.isEmpty()) {
            throw new UserException("invalid_spec", origin + ": \"input\" must give the shape of one sample, e.g. [1, 28, 28]");
        }
        in.forEach(d -> {
            if (!d.isInt() || d.asInt() <= 0) {
                throw new UserException("invalid_spec", origin + ": \"input\" dimensions must be positive integers, e.g. [1, 28, 28]");
            }
            input.add(d.asInt());
        });
        JsonNode layerNodes = root.get("layers");
        if (layerNodes == null || !layerNodes.isArray() || layerNodes.isEmpty()) {
            throw new UserException("invalid_spec", origin + ": \"layers\" must be a non-empty list");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < layerNodes.size(); i++) {
            JsonNode l = layerNodes.get(i);
            if (!l.isObject() || !l.path("type").isTextual()) {
                throw new UserException("invalid_spec", origin + ": layers[" + i + "] needs a \"type\", e.g. {\"type\": \"dense\", \"units\": 128}");
            }
            layers.add(new LayerSpec(i, l.get("type").asText(), (ObjectNode) l, origin));
        }
        String loss = text(root, "loss", origin, task == Task.REGRESSION ? "mse" : "cross_entropy");
        if (!LOSSES.contains(loss)) {
            throw new UserException("invalid_spec", origin + ": loss '" + loss + "' must be one of " + LOSSES);
        }
        String init = text(root, "initializer", origin, "glorot_uniform");
        if (!INITIALIZERS.contains(init)) {
            throw new UserException("invalid_spec", origin + ": initializer '" + init + "' must be one of " + INITIALIZERS);
        }
        OptimizerSpec optimizer = convert(root.get("optimizer"), OptimizerSpec.class, origin, "optimizer",
                "{\"type\": \"adam\", \"lr\": 0.001}");
        TrainingSpec training = convert(root.get("training"), TrainingSpec.class, origin, "training",
                "{\"epochs\": 10, \"batch_size\": 32}");
        InlineData data = root.hasNonNull("data") ? convert(root.get("data"), InlineData.class, origin, "data",
                "{\"x\": [[0, 1]], \"y\": [[1]]}") : null;
        float[][] probe = root.hasNonNull("probe") ? convert(root.get("probe"), float[][].class, origin, "probe",
                "[[0, 1], [1, 1]]") : null;
        TextSpec textSpec = root.hasNonNull("text") ? convert(root.get("text"), TextSpec.class, origin, "text",
                "{\"tokenizer\": \"char\"}") : null;
        if (task.isLanguageModel() && (textSpec == null || input.size() != 1 || !"cross_entropy".equals(loss))) {
            throw new UserException("invalid_spec", origin + ": a language model needs \"text\" (e.g. {\"tokenizer\": \"char\"}),"
                    + " \"input\": [CONTEXT] (e.g. [64]) and the cross_entropy loss");
        }
        TestTimeAugmentation testTime = TestTimeAugmentation.parse(text(root, "test_time_augmentation", origin,
                TestTimeAugmentation.NONE.wireName()), origin);
        testTime.requireImages(input, origin);
        return new ModelSpec(FORMAT_VERSION, name, root.path("description").asText(""), task, input, layers, loss, init,
                optimizer, training, data, probe, root.hasNonNull("dataset") ? root.get("dataset").asText() : null, textSpec,
                testTime);
    }

    public boolean isLanguageModel() {
        return task.isLanguageModel();
    }

    /**
     * The spec with each imported layer's {@code path} replaced: made absolute when a run starts, made
     * relative to the version directory (where the file is copied) when a model is registered.
     */
    public ModelSpec withImportedPaths(java.util.function.Function<LayerSpec, String> path) {
        List<LayerSpec> mapped = new ArrayList<>();
        for (LayerSpec l : layers) {
            if (l.type().equals("imported") && l.fields().hasNonNull("path")) {
                ObjectNode copy = l.fields().deepCopy();
                copy.put("path", path.apply(l));
                mapped.add(new LayerSpec(l.index(), l.type(), copy, l.origin()));
            } else {
                mapped.add(l);
            }
        }
        return new ModelSpec(formatVersion, name, description, task, input, mapped, loss, initializer, optimizer, training,
                data, probe, dataset, text, testTimeAugmentation);
    }

    /**
     * The spec with every layer starting from the weights of registered model {@code ref} (made from this
     * same spec): fine-tuning a version rather than training from scratch.
     */
    public ModelSpec withAllLayersFrom(String ref) {
        List<LayerSpec> marked = new ArrayList<>();
        for (LayerSpec l : layers) {
            ObjectNode copy = l.fields().deepCopy();
            copy.put("pretrained", ref);
            marked.add(new LayerSpec(l.index(), l.type(), copy, l.origin()));
        }
        return new ModelSpec(formatVersion, name, description, task, input, marked, loss, initializer, optimizer, training,
                data, probe, dataset, text, testTimeAugmentation);
    }

    /** The spec with another sample shape (a language model's context: [tokens]). */
    public ModelSpec withInput(List<Integer> shape) {
        return new ModelSpec(formatVersion, name, description, task, shape, layers, loss, initializer, optimizer, training,
                data, probe, dataset, text, testTimeAugmentation);
    }

    /** The spec with what its predictions do to a sample first (an {@link TestTimeAugmentation#AUTO} decided). */
    public ModelSpec withTestTimeAugmentation(TestTimeAugmentation t) {
        return new ModelSpec(formatVersion, name, description, task, input, layers, loss, initializer, optimizer, training,
                data, probe, dataset, text, t);
    }

    /** The spec with the fitted tokenizer's vocabulary size recorded. */
    public ModelSpec withVocabulary(int size) {
        return new ModelSpec(formatVersion, name, description, task, input, layers, loss, initializer, optimizer, training,
                data, probe, dataset, text.withVocabulary(size), testTimeAugmentation);
    }

    /** The spec with command-line overrides applied (recorded in the run, so the run can be repeated). */
    public ModelSpec withOverrides(Integer epochs, Integer batchSize, Double lr, Long seed) {
        return new ModelSpec(formatVersion, name, description, task, input, layers, loss, initializer,
                lr != null ? optimizer.withLearningRate(lr) : optimizer, training.with(epochs, batchSize, seed),
                data, probe, dataset, text, testTimeAugmentation);
    }

    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format_version", formatVersion);
        root.put("name", name);
        root.put("description", description);
        root.put("task", task.wireName());
        ArrayNode in = root.putArray("input");
        input.forEach(in::add);
        ArrayNode ls = root.putArray("layers");
        layers.forEach(l -> ls.add(l.fields()));
        root.put("loss", loss);
        root.put("initializer", initializer);
        root.set("optimizer", Json.MAPPER.valueToTree(optimizer));
        root.set("training", Json.MAPPER.valueToTree(training));
        if (data != null) root.set("data", Json.MAPPER.valueToTree(data));
        if (probe != null) root.set("probe", Json.MAPPER.valueToTree(probe));
        if (dataset != null) root.put("dataset", dataset);
        if (text != null) root.set("text", Json.MAPPER.valueToTree(text));
        if (testTimeAugmentation != TestTimeAugmentation.NONE) root.put("test_time_augmentation", testTimeAugmentation.wireName());
        return root;
    }

    private static String text(JsonNode root, String field, String origin, String fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (fallback != null) return fallback;
            throw new UserException("invalid_spec", origin + ": \"" + field + "\" is required");
        }
        if (!v.isTextual()) {
            throw new UserException("invalid_spec", origin + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static <T> T convert(JsonNode node, Class<T> type, String origin, String field, String example) {
        if (node == null || node.isNull()) {
            throw new UserException("invalid_spec", origin + ": \"" + field + "\" is required, e.g. " + example);
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UserException u) {
                throw new UserException(u.code(), origin + ": " + u.getMessage(), u);
            }
            throw new UserException("invalid_spec", origin + ": \"" + field + "\": " + e.getOriginalMessage().split("\n")[0], e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException("invalid_spec", origin + ": \"" + field + "\": " + e.getOriginalMessage().split("\n")[0]
                    + "; e.g. " + example, e);
        }
    }
}
