package io.moxing.model;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * A layer whose output at a position depends on earlier positions (attention) or on the position
 * itself (position embeddings): during generation it is given the cache of what came before. Layers
 * that work position by position (layer norm, dense) need no cache and run their plain forward.
 */
interface CachedBlock {
    NDList forwardCached(ParameterStore store, NDList inputs, KvCache cache);
}
