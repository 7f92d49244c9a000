package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values every attention layer has computed for the tokens seen so far, so that each new
 * token attends to them instead of recomputing the whole window. Arrays live in the cache's own
 * manager and survive the per-token scratch managers; a replaced array is freed at once.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final java.util.Map<Integer, NDArray> keys = new java.util.HashMap<>();
    private final java.util.Map<Integer, NDArray> values = new java.util.HashMap<>();
    private final java.util.Map<Float, NDArray> scalars = new java.util.HashMap<>();
    private int length;

    public KvCache(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** A scalar array made once per cache: making one per token costs more than the multiplication. */
    NDArray scalar(float value) {
        return scalars.computeIfAbsent(value, v -> manager.create(v));
    }

    /** How many positions are cached: the position of the next token. */
    public int length() {
        return length;
    }

    /**
     * Appends a layer's keys (transposed: [..., head size, new positions]) and values ([..., new
     * positions, head size]) for new positions; returns all of them.
     */
    NDArray[] append(int layer, NDArray newKeysTransposed, NDArray newValues) {
        NDArray k = concat(keys.get(layer), newKeysTransposed, -1);
        NDArray v = concat(values.get(layer), newValues, -2);
        keys.put(layer, k);
        values.put(layer, v);
        return new NDArray[] {k, v};
    }

    /** Layer {@code layer}'s cached keys, transposed: [batch, heads, head size, positions]. */
    NDArray keys(int layer) {
        return keys.get(layer);
    }

    /** Layer {@code layer}'s cached values: [batch, heads, positions, head size]. */
    NDArray values(int layer) {
        return values.get(layer);
    }

    /** The attention layers' indices that hold keys. */
    java.util.Set<Integer> layers() {
        return keys.keySet();
    }

    /** Called once every layer has appended a step of {@code count} positions. */
    public void advance(int count) {
        length += count;
    }

    private NDArray concat(NDArray cached, NDArray fresh, int axis) {
        NDArray all = cached == null ? fresh.duplicate() : cached.concat(fresh, axis);
        all.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
