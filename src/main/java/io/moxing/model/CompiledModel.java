package io.moxing.model;

import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * A spec compiled to a DJL block. {@code forwardFlops} counts multiply-adds as two FLOPs for one
 * sample's forward pass; training costs about three times that (forward plus backward).
 */
public record CompiledModel(ModelSpec spec, SequentialBlock block, OutputHead head, List<LayerSummary> layers,
                            long parameters, long forwardFlops) {

    public long[] inputShape() {
        return spec.input().stream().mapToLong(Integer::longValue).toArray();
    }

    public List<Long> outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }
}
