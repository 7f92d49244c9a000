package io.moxing.predict;

import ai.djl.ndarray.NDManager;
import io.moxing.core.DeepLearning;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.OnnxRunner;
import io.moxing.model.SpecCompiler;
import io.moxing.registry.ModelVersion;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A registered model version loaded into memory, ready to run. Close it to free its tensors. */
public final class LoadedModel implements AutoCloseable {
    private final ModelVersion card;
    private final CompiledModel compiled;
    private final NDManager manager;
    private final Inference inference;
    private final OnnxRunner onnx;
    private final Path directory;

    /** {@code onnx}: the runner of a version that is one whole ONNX graph (null for the others, which DJL runs). */
    private LoadedModel(ModelVersion card, CompiledModel compiled, NDManager manager, Path directory, OnnxRunner onnx) {
        this.card = card;
        this.directory = directory;
        this.compiled = compiled;
        this.manager = manager;
        this.onnx = onnx;
        this.inference = onnx != null ? null : new Inference(compiled.block(), compiled.head(), manager);
    }

    public static LoadedModel load(Path versionDir) {
        ModelVersion card = Json.read(versionDir.resolve("model.json"), ModelVersion.class);
        if (card.formatVersion() > ModelVersion.FORMAT_VERSION) {
            throw new UserException("unsupported_format", versionDir + ": model format " + card.formatVersion()
                    + " is newer than this Moxing understands; upgrade Moxing");
        }
        if (card.encoder() != null) {
            throw new UserException("sentence_encoder", card.ref() + " is a sentence encoder: it makes embeddings (moxing embed "
                    + card.ref() + " --text TEXT, or POST /v1/embeddings once deployed) and nothing else");
        }
        ModelSpec spec = ModelSpec.read(versionDir.resolve("spec.json"));
        CompiledModel compiled = SpecCompiler.compile(spec, versionDir);
        NDManager manager = DeepLearning.engine().newBaseManager();
        Path weights = ModelVersion.weightsFile(versionDir);
        if (weights.getFileName().toString().equals(ModelVersion.ONNX_INT8_FILE)) {
            // one ONNX graph holding every weight and the output head: predictions run it in ONNX Runtime alone, so
            // the spec's imported layer (which names the file) is not initialised and opens no second session
            try {
                return new LoadedModel(card, compiled, manager, versionDir, new OnnxRunner(weights));
            } catch (ai.onnxruntime.OrtException e) {
                manager.close();
                throw new UserException("corrupt_model", weights + ": ONNX Runtime cannot load it (" + e.getMessage()
                        + "); the version is damaged, compress it again", e);
            }
        }
        compiled.initialize(manager);
        try (InputStream in = Files.newInputStream(weights);
             DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            if (weights.getFileName().toString().equals(ModelVersion.INT8_PARAMETERS_FILE)) {
                // weight-only int8 (moxing compress --method int8): dequantised here, so it runs as fp32 does
                io.moxing.model.Int8Weights.read(compiled.block(), manager, data);
            } else {
                compiled.block().loadParameters(manager, data);
            }
        } catch (IOException | ai.djl.MalformedModelException e) {
            manager.close();
            throw new UserException("corrupt_model", versionDir + ": parameters cannot be loaded (" + e.getMessage()
                    + "); the version is damaged, register it again", e);
        }
        return new LoadedModel(card, compiled, manager, versionDir, null);
    }

    public ModelVersion card() {
        return card;
    }

    public CompiledModel compiled() {
        return compiled;
    }

    /** The manager that owns the parameters; work on the model makes its temporaries in sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    /** A language model's tokenizer, saved with the version. */
    public io.moxing.text.Tokenizer tokenizer() {
        Path file = directory.resolve(ModelVersion.TOKENIZER_FILE);
        if (!card.task().isLanguageModel() || !Files.isRegularFile(file)) {
            throw new UserException("not_a_language_model", card.ref() + " is a " + card.task()
                    + " model; text generation needs a language model (e.g. moxing train transformer-lm)");
        }
        return io.moxing.text.Tokenizer.load(file);
    }

    public long[] sampleShape() {
        return compiled.inputShape();
    }

    /**
     * Outputs (probabilities for classifiers) for samples already normalised and packed end to end, with the
     * spec's test-time augmentation (a version that averages each image with its mirror image runs twice).
     */
    public float[][] predict(float[] features, int count) {
        long[] shape = sampleShape();
        return compiled.spec().testTimeAugmentation().predict(features, shape, count, (f, n) ->
                onnx != null ? onnx.predict(f, shape, n, 256) : inference.run(f, shape, n, 256));
    }

    @Override
    public void close() {
        if (onnx != null) onnx.close();
        for (ai.djl.nn.Block b : compiled.layerBlocks()) {
            // an imported layer holds a native ONNX Runtime or TorchScript session outside the manager
            if (b instanceof AutoCloseable session) {
                try {
                    session.close();
                } catch (Exception e) {
                    // a session that cannot close has nothing left to free
                }
            }
        }
        manager.close();
    }
}
