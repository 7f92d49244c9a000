package io.moxing.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.util.List;
import java.util.Set;

/** The spec layers of a language model: token embeddings with positions, and causal Transformer layers. */
final class LanguageModelLayers {
    private LanguageModelLayers() {}

    /** Token ids [context] to vectors [context, width], with learned positions. */
    static SpecCompiler.Shaped embedding(LayerSpec layer, List<Long> in, ModelSpec spec) {
        layer.allowOnly(Set.of("width", "dropout"));
        SpecCompiler.requireRank(layer, in, 1, "[context] (token ids)");
        int width = layer.positiveInt("width", null, "128");
        int vocabulary = vocabulary(spec, layer);
        int context = in.get(0).intValue();
        Block b = new TokenEmbedding(vocabulary, context, width, (float) layer.fraction("dropout", 0));
        return new SpecCompiler.Shaped(new SpecCompiler.Step("embedding", b, layer, (long) (vocabulary + context) * width), null,
                List.of((long) context, (long) width), 0);
    }

    /**
     * N pre-norm decoder layers with causal self-attention, [context, width] to the same shape;
     * {@code firstIndex} numbers their key/value caches after those of earlier transformer layers.
     */
    static SpecCompiler.Shaped transformer(LayerSpec layer, List<Long> in, int firstIndex) {
        layer.allowOnly(Set.of("layers", "heads", "mlp", "dropout"));
        SpecCompiler.requireRank(layer, in, 2, "[context, width]");
        int layers = layer.positiveInt("layers", null, "4");
        int heads = layer.positiveInt("heads", null, "4");
        long width = in.get(1);
        long context = in.get(0);
        if (width % heads != 0) {
            throw new UserException("invalid_spec", layer.where() + ": width " + width + " must be divisible by \"heads\" ("
                    + heads + "); e.g. 4 heads for width 128");
        }
        int hidden = layer.positiveInt("mlp", (int) (4 * width), "512");
        float dropout = (float) layer.fraction("dropout", 0);
        SequentialBlock stack = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            stack.add(new TransformerLayer(firstIndex + i, (int) width, heads, hidden, dropout));
        }
        // two layer norms, query/key/value and output projections, the MLP's two dense layers
        long perLayer = 4 * width + (3 * width * width + 3 * width) + (width * width + width)
                + (width * hidden + hidden) + (hidden * width + width);
        long flopsPerLayer = 2 * context * (4 * width * width + 2 * width * hidden) + 4 * context * context * width;
        return new SpecCompiler.Shaped(new SpecCompiler.Step("transformer", stack, layer, layers * perLayer), null, in, layers * flopsPerLayer);
    }

    /** A language model's vocabulary size, known once its tokenizer is fitted on the training text. */
    static int vocabulary(ModelSpec spec, LayerSpec layer) {
        String where = layer == null ? spec.name() : layer.where();
        if (!spec.isLanguageModel()) {
            throw new UserException("invalid_spec", where + ": \"vocabulary\" sizes belong to language models (task "
                    + Task.LANGUAGE_MODELING + ")");
        }
        if (spec.text().vocabulary() <= 0) {
            throw new UserException("invalid_spec", where + ": the vocabulary size is not known until the tokenizer is"
                    + " fitted; train the spec, or set text.vocabulary");
        }
        return spec.text().vocabulary();
    }
}
