package io.moxing.predict;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.registry.EncoderCard;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Pooling;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A sentence encoder (a BERT-style ONNX graph and its Hugging Face tokenizer) loaded and ready: texts become
 * token ids, texts of similar length run together as one padded batch through ONNX Runtime (unless the card
 * says the graph's vectors depend on their batch: then one text per run), and each text's token vectors are
 * pooled into one vector of length 1. Thread-safe: ONNX Runtime sessions and the tokenizer
 * take concurrent calls. Nothing is truncated: a text over {@link #maxTokens} is refused.
 */
public final class SentenceEncoder implements AutoCloseable {
    /**
     * The most padded tokens (texts × the longest of them) one run of the graph takes. Attention holds
     * texts × heads × length² floats, so at 512 tokens this is 8 texts and ~100 MB; short texts go 256 at a time.
     */
    static final int TOKENS_PER_RUN = 4096;
    private static final List<String> OUTPUTS = List.of("last_hidden_state", "token_embeddings", "sentence_embedding");

    private final ModelVersion card;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final Pooling pooling;
    private final String output;
    /** Whether the graph answers one vector per token (pooled here) or one per text. */
    private final boolean perToken;
    private final boolean typeIds;
    private final int dimensions;
    /** 1 when a text's vector must not depend on the texts run beside it, else unbounded. */
    private final int textsPerRun;

    /** A text's token ids, special tokens included. */
    public record Tokens(List<long[]> ids) {
        public int total() {
            return ids.stream().mapToInt(a -> a.length).sum();
        }
    }

    private SentenceEncoder(ModelVersion card, OrtSession session, HuggingFaceTokenizer tokenizer, int maxTokens,
                            Pooling pooling, boolean batched) throws OrtException {
        this.card = card;
        this.textsPerRun = batched ? Integer.MAX_VALUE : 1;
        this.session = session;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.pooling = pooling;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        List<String> unknown = inputs.keySet().stream()
                .filter(n -> !List.of("input_ids", "attention_mask", "token_type_ids").contains(n)).sorted().toList();
        if (!inputs.containsKey("input_ids") || !inputs.containsKey("attention_mask") || !unknown.isEmpty()) {
            throw new UserException("unsupported_encoder", "the ONNX graph takes " + inputs.keySet() + "; a sentence encoder"
                    + " must take input_ids and attention_mask (and optionally token_type_ids), as BERT-style models exported"
                    + " by Hugging Face Optimum do");
        }
        this.typeIds = inputs.containsKey("token_type_ids");
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        this.output = OUTPUTS.stream().filter(outputs::containsKey).findFirst().orElse(outputs.keySet().iterator().next());
        long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
        if (shape.length != 2 && shape.length != 3) {
            throw new UserException("unsupported_encoder", "the ONNX graph's output '" + output + "' has shape "
                    + java.util.Arrays.toString(shape) + "; expected [batch, tokens, width] or [batch, width]");
        }
        this.perToken = shape.length == 3;
        this.dimensions = run(List.of(tokenize(List.of("dimensions")).ids().get(0)))[0].length;
    }

    /** Loads a registered encoder version from its directory. */
    public static SentenceEncoder load(Path versionDir) {
        ModelVersion card = Json.read(versionDir.resolve("model.json"), ModelVersion.class);
        EncoderCard e = card.encoder();
        if (e == null) {
            throw new UserException("not_an_encoder", card.ref() + " is a " + card.task() + " model, not a sentence encoder");
        }
        SentenceEncoder encoder = open(card, versionDir.resolve(e.onnxFile()), versionDir.resolve(e.tokenizerFile()),
                e.maxTokens(), e.pooling(), e.batchInvariant());
        if (encoder.dimensions != e.dimensions()) {
            encoder.close();
            throw new UserException("corrupt_model", versionDir + ": the graph answers " + encoder.dimensions
                    + "-dimensional vectors where its card says " + e.dimensions() + "; the version is damaged, import it again");
        }
        return encoder;
    }

    /**
     * Opens an encoder from its files (what an import checks before it registers them); {@code card} may be null.
     * {@code batched}: whether texts run together in padded batches.
     */
    public static SentenceEncoder open(ModelVersion card, Path onnx, Path tokenizerJson, int maxTokens, Pooling pooling,
                                       boolean batched) {
        HuggingFaceTokenizer tokenizer;
        try {
            // our own limit refuses long texts whole: the file's truncation and padding (if any) are switched off
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "false", "padding", "false",
                    "addSpecialTokens", "true"));
        } catch (IOException | RuntimeException e) {
            throw new UserException("unreadable_file", tokenizerJson + ": not a Hugging Face tokenizer.json (" + e.getMessage()
                    + ")", e);
        }
        OrtSession session = null;
        try {
            session = io.moxing.model.OnnxRunner.session(onnx);
            return new SentenceEncoder(card, session, tokenizer, maxTokens, pooling, batched);
        } catch (OrtException e) {
            tokenizer.close();
            closeQuietly(session);
            throw new UserException("unreadable_file", onnx + ": ONNX Runtime cannot run it (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            tokenizer.close();
            closeQuietly(session);
            throw e;
        }
    }

    /** The registered version, or null when opened from files. */
    public ModelVersion card() {
        return card;
    }

    /** The width of the vectors it answers. */
    public int dimensions() {
        return dimensions;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The texts' token ids; an {@link InputTooLongException} names the first text over {@link #maxTokens}. */
    public Tokens tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<long[]> ids = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            long[] one = encodings[i].getIds();
            if (one.length > maxTokens) throw new InputTooLongException(i, one.length, maxTokens);
            ids.add(one);
        }
        return new Tokens(ids);
    }

    /** One unit vector per text, in the texts' order. */
    public float[][] embed(Tokens tokens) {
        List<long[]> ids = tokens.ids();
        // longest first, so that each run pads its texts to about their own length
        Integer[] order = IntStream.range(0, ids.size()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids.get(i).length).reversed());
        float[][] out = new float[ids.size()][];
        int from = 0;
        while (from < order.length) {
            int longest = ids.get(order[from]).length;
            int to = from + Math.max(1, Math.min(Math.min(order.length - from, textsPerRun), TOKENS_PER_RUN / longest));
            List<long[]> run = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) run.add(ids.get(order[k]));
            float[][] vectors = run(run);
            for (int k = from; k < to; k++) out[order[k]] = vectors[k - from];
            from = to;
        }
        return out;
    }

    /** One unit vector per text. */
    public float[][] embed(List<String> texts) {
        return embed(tokenize(texts));
    }

    /**
     * Whether texts of different lengths get the same vectors in one padded batch as each alone (cosine above
     * 0.99999 for each): true for a float graph; not for one quantised with dynamic per-tensor scales, whose
     * scales are taken over the whole batch, padding and neighbours included.
     */
    public boolean batchInvariant() {
        List<String> texts = List.of("Hi.", "A longer sentence, with several more words in it than the others have.",
                "一句中文的话", "1 + 1 = 2");
        List<long[]> ids = tokenize(texts).ids();
        float[][] together = run(ids);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = run(List.of(ids.get(i)))[0];
            double cosine = 0;
            for (int d = 0; d < alone.length; d++) cosine += alone[d] * together[i][d];
            if (cosine < 0.99999) return false;
        }
        return true;
    }

    /** One run of the graph over texts padded to the longest of them. */
    private float[][] run(List<long[]> texts) {
        int n = texts.size();
        int length = texts.stream().mapToInt(a -> a.length).max().orElse(0);
        long[] ids = new long[n * length];
        long[] mask = new long[n * length];
        for (int i = 0; i < n; i++) {
            long[] t = texts.get(i);
            System.arraycopy(t, 0, ids, i * length, t.length);
            java.util.Arrays.fill(mask, i * length, i * length + t.length, 1L);
        }
        long[] shape = {n, length};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (typeIds) feed.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * length]), shape));
            try (OrtSession.Result result = session.run(feed, java.util.Set.of(output))) {
                OnnxTensor y = (OnnxTensor) result.get(0);
                long[] yShape = y.getInfo().getShape();
                FloatBuffer values = y.getFloatBuffer();
                int width = (int) yShape[yShape.length - 1];
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    out[i] = normalize(perToken ? pool(values, i, length, texts.get(i).length, width)
                            : slice(values, i * width, width));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + n + " texts: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** Text {@code i}'s vector from its {@code tokens} token vectors in a [texts, length, width] output. */
    private float[] pool(FloatBuffer values, int i, int length, int tokens, int width) {
        int base = i * length * width;
        if (pooling == Pooling.CLS) return slice(values, base, width);
        float[] sum = new float[width];
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < width; d++) sum[d] += values.get(base + t * width + d);
        }
        for (int d = 0; d < width; d++) sum[d] /= tokens;
        return sum;
    }

    private static float[] slice(FloatBuffer values, int from, int width) {
        float[] out = new float[width];
        values.get(from, out);
        return out;
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
        for (int d = 0; d < v.length; d++) v[d] *= scale;
        return v;
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) return;
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session that failed to open: nothing else to free
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }
}
