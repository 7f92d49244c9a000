package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * Dense and layer-norm layers applied straight to their parameter arrays, for token-by-token
 * generation where each call handles one position and the block machinery (parameter store
 * look-ups, a device query per call) cost as much as the arithmetic. Inference only: no gradients.
 */
final class DirectOps {
    private static final float LAYER_NORM_EPSILON = 1e-5f;

    private DirectOps() {}

    static NDArray linear(Linear layer, NDArray x) {
        return x.getNDArrayInternal().linear(x, array(layer, "weight"), array(layer, "bias")).singletonOrThrow();
    }

    static NDArray layerNorm(LayerNorm layer, NDArray x) {
        NDArray gamma = array(layer, "gamma");
        return x.getNDArrayInternal().layerNorm(x, gamma.getShape(), gamma, array(layer, "beta"), LAYER_NORM_EPSILON)
                .singletonOrThrow();
    }

    private static NDArray array(Block block, String name) {
        var parameter = block.getParameters().get(name);
        return parameter == null ? null : parameter.getArray();
    }
}
