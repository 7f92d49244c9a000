package io.moxing.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * A spec compiled to a DJL block; {@code layerBlocks.get(i)} is the block that spec layer i became. {@code forwardFlops} counts multiply-adds as two FLOPs for one
 * sample's forward pass; training costs about three times that (forward plus backward).
 */
public record CompiledModel(ModelSpec spec, SequentialBlock block, OutputHead head, List<LayerSummary> layers,
                            List<ai.djl.nn.Block> layerBlocks, long parameters, long forwardFlops) {

    public long[] inputShape() {
        return spec.input().stream().mapToLong(Integer::longValue).toArray();
    }

    /** Creates the parameters (drawn from the engine's seeded generator) for batches of the spec's input. */
    public void initialize(NDManager manager) {
        long[] shape = new long[spec.input().size() + 1];
        shape[0] = 1;
        System.arraycopy(inputShape(), 0, shape, 1, spec.input().size());
        block.initialize(manager, DataType.FLOAT32, new Shape(shape));
    }

    /** The same network under a spec that differs in what does not shape it (a decided test-time augmentation). */
    public CompiledModel withSpec(ModelSpec other) {
        return new CompiledModel(other, block, head, layers, layerBlocks, parameters, forwardFlops);
    }

    public List<Long> outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }
}
