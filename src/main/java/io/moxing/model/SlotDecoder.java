package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled language model decoding many sequences at once, each in a slot of a {@link SlotCache}: a
 * sequence joins with a prefill of its prompt (run alone, then copied into its slot) and from then on takes
 * part in every step, in which the slots' newest tokens go through the model together — one matrix product
 * per layer for all of them, each attending only to its own slot. Continuous batching is built on this:
 * sequences join and leave between steps. Not thread-safe: one decoding thread owns it.
 */
public final class SlotDecoder implements AutoCloseable {
    private final CompiledModel model;
    private final NDManager manager;
    private final ParameterStore store;
    private final SlotCache cache;
    private final TokenEmbedding embedding;
    private final List<Block> after = new ArrayList<>();
    private final List<TransformerLayer> layers = new ArrayList<>();

    public SlotDecoder(CompiledModel model, NDManager parent, int slots) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.store = new ParameterStore(manager, false);
        TokenEmbedding found = null;
        for (Block b : flatten(model.block())) {
            if (b instanceof TokenEmbedding e) {
                found = e;
            } else if (b instanceof TransformerLayer t) {
                layers.add(t);
            } else if (found != null) {
                after.add(b);
            }
        }
        if (found == null || layers.isEmpty()) {
            throw new IllegalArgumentException(model.spec().name() + " is not a Transformer language model");
        }
        this.embedding = found;
        this.cache = new SlotCache(manager, layers.stream().map(TransformerLayer::attention).toList(), slots, found.context());
    }

    public int slots() {
        return cache.slots();
    }

    public int context() {
        return cache.context();
    }

    /** Tokens slot {@code slot} holds (0 when free); the next token it is given goes at this position. */
    public int length(int slot) {
        return cache.length(slot);
    }

    /**
     * Puts a sequence in slot {@code slot} (replacing what it held): runs {@code tokens} (1 to context) and
     * returns the logits after the last of them.
     */
    public float[] prefill(int slot, int[] tokens) {
        try (NDManager scratch = manager.newSubManager(); KvCache prefilled = new KvCache(scratch)) {
            long[] ids = new long[tokens.length];
            for (int i = 0; i < ids.length; i++) ids[i] = tokens[i];
            NDArray logits = CachedForward.run(model, store, scratch.create(ids, new Shape(1, ids.length)), prefilled);
            cache.loadPrefix(slot, prefilled);
            return logits.get(0, ids.length - 1).toFloatArray();
        }
    }

    public void free(int slot) {
        cache.free(slot);
    }

    /**
     * One step for slots 0..tokens.length-1: each occupied slot reads its token (the one chosen from its last
     * logits) at its own position; returns each slot's next logits (free slots' rows are meaningless). Every
     * occupied slot must hold fewer than context tokens.
     */
    public float[][] step(int[] tokens) {
        int rows = tokens.length;
        long[] ids = new long[rows];
        long[] positions = new long[rows];
        for (int s = 0; s < rows; s++) {
            int length = cache.length(s);
            if (length >= cache.context()) throw new IllegalStateException("slot " + s + " is full: slide it first");
            ids[s] = Math.max(0, tokens[s]);
            positions[s] = length;
        }
        cache.beginStep(rows);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = embedding.embedSlots(store, scratch.create(ids, new Shape(rows, 1)),
                    scratch.create(positions, new Shape(rows, 1)));
            for (TransformerLayer layer : layers) x = layer.forwardSlots(x, cache);
            for (Block b : after) {
                if (b instanceof LayerNorm norm) {
                    x = DirectOps.layerNorm(norm, x);
                } else if (b instanceof Linear linear) {
                    x = DirectOps.linear(linear, x);
                } else {
                    x = b.forward(store, new NDList(x), false).singletonOrThrow();
                }
            }
            float[] flat = x.toFloatArray();
            int vocabulary = flat.length / rows;
            float[][] out = new float[rows][];
            for (int s = 0; s < rows; s++) out[s] = java.util.Arrays.copyOfRange(flat, s * vocabulary, (s + 1) * vocabulary);
            return out;
        } finally {
            cache.endStep();
        }
    }

    private static List<Block> flatten(Block block) {
        List<Block> out = new ArrayList<>();
        if (block instanceof SequentialBlock sequence && !(block instanceof TransformerLayer)) {
            for (Block child : sequence.getChildren().values()) out.addAll(flatten(child));
        } else {
            out.add(block);
        }
        return out;
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
