package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys and values of many sequences decoded together, one slot each, preallocated at the context's
 * length: a slot's token at position p sits in column p. A step writes every slot's new keys and values
 * with one indexed copy per layer (each slot at its own column), and attention reads only the columns up
 * to the longest slot, with a mask per step hiding each slot's columns beyond its own length.
 */
final class SlotCache implements AutoCloseable {
    private static final float HIDDEN = -1e9f;
    private final NDManager manager;
    private final int slots;
    private final int context;
    private final Map<Integer, NDArray> keys = new HashMap<>();
    private final Map<Integer, NDArray> values = new HashMap<>();
    private final Map<Float, NDArray> scalars = new HashMap<>();
    private final int[] length;
    private int rows;
    private int columns;
    private NDManager stepArrays;
    private NDArray mask;
    private NDIndex keyIndex;
    private NDIndex valueIndex;
    private NDIndex keyView;
    private NDIndex valueView;

    SlotCache(NDManager parent, Iterable<CausalSelfAttention> layers, int slots, int context) {
        this.manager = parent.newSubManager();
        this.slots = slots;
        this.context = context;
        this.length = new int[slots];
        for (CausalSelfAttention a : layers) {
            keys.put(a.layerIndex(), manager.zeros(new Shape(slots, a.heads(), a.headSize(), context)));
            values.put(a.layerIndex(), manager.zeros(new Shape(slots, a.heads(), context, a.headSize())));
        }
    }

    NDArray scalar(float value) {
        return scalars.computeIfAbsent(value, manager::create);
    }

    /** Tokens slot {@code slot} holds (0 when free). */
    int length(int slot) {
        return length[slot];
    }

    /** Takes a prefilled sequence's keys and values as slot {@code slot}'s first positions. */
    void loadPrefix(int slot, KvCache prefilled) {
        int n = prefilled.length();
        if (n < 1 || n > context) throw new IllegalArgumentException("a prefix holds 1 to " + context + " tokens");
        for (int layer : keys.keySet()) {
            keys.get(layer).set(new NDIndex("{}, :, :, :{}", slot, n), prefilled.keys(layer).get(0));
            values.get(layer).set(new NDIndex("{}, :, :{}, :", slot, n), prefilled.values(layer).get(0));
        }
        length[slot] = n;
    }

    void free(int slot) {
        length[slot] = 0;
    }

    /**
     * Starts a step over slots 0..rows-1: where each writes (its own length) and what each may attend to
     * (its positions so far and this step's).
     */
    void beginStep(int rows) {
        this.rows = rows;
        columns = 1;
        long[] rowIds = new long[rows];
        long[] columnIds = new long[rows];
        for (int s = 0; s < rows; s++) {
            rowIds[s] = s;
            columnIds[s] = length[s];
            columns = Math.max(columns, length[s] + 1);
        }
        float[] m = new float[rows * columns];
        Arrays.fill(m, HIDDEN);
        for (int s = 0; s < rows; s++) Arrays.fill(m, s * columns, s * columns + length[s] + 1, 0f);
        if (stepArrays != null) stepArrays.close();
        stepArrays = manager.newSubManager();
        mask = stepArrays.create(m, new Shape(rows, 1, 1, columns));
        NDArray r = stepArrays.create(rowIds);
        NDArray c = stepArrays.create(columnIds);
        keyIndex = new NDIndex("{}, :, :, {}", r, c);
        valueIndex = new NDIndex("{}, :, {}, :", r, c);
        keyView = new NDIndex(":{}, :, :, :{}", rows, columns);
        valueView = new NDIndex(":{}, :, :{}, :", rows, columns);
    }

    NDArray mask() {
        return mask;
    }

    /** Writes this step's keys [rows, heads, head size] and values of a layer; returns the rows' caches so far. */
    NDArray[] write(int layer, NDArray newKeys, NDArray newValues) {
        NDArray k = keys.get(layer);
        NDArray v = values.get(layer);
        k.set(keyIndex, newKeys);
        v.set(valueIndex, newValues);
        // views of the cache, freed with the step's arrays (the cache's own manager would keep every one)
        NDArray keysSoFar = k.get(keyView);
        NDArray valuesSoFar = v.get(valueView);
        keysSoFar.attach(stepArrays);
        valuesSoFar.attach(stepArrays);
        return new NDArray[] {keysSoFar, valuesSoFar};
    }

    /** Ends the step: every occupied slot in it now holds one more token. */
    void endStep() {
        for (int s = 0; s < rows; s++) if (length[s] > 0) length[s]++;
    }

    int context() {
        return context;
    }

    int slots() {
        return slots;
    }

    @Override
    public void close() {
        manager.close();
    }
}
