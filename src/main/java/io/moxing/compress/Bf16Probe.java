package io.moxing.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moxing.predict.LoadedModel;
import java.nio.file.Path;

/**
 * The bf16 experiment, run in a child JVM by {@link Bf16Trial} because DJL 0.34's PyTorch engine aborts the whole
 * process (libtorch's {@code terminate}) when asked for a bfloat16 tensor, which no Java code can catch. Prints one
 * {@code stage NAME} line before each step, so that the parent can say where it broke, and a {@code result} line
 * with fp32 and bf16 milliseconds per batch of 64 and the largest output difference when it gets that far.
 */
public final class Bf16Probe {
    private static final int BATCH = 64;
    private static final int RUNS = 20;

    private Bf16Probe() {}

    public static void main(String[] args) {
        try (LoadedModel model = LoadedModel.load(Path.of(args[0]));
             NDManager scratch = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(scratch, false);
            long[] sample = model.sampleShape();
            long[] shape = new long[sample.length + 1];
            shape[0] = BATCH;
            System.arraycopy(sample, 0, shape, 1, sample.length);
            NDArray x = scratch.randomNormal(new Shape(shape));
            stage("fp32 forward");
            NDArray reference = model.compiled().block().forward(store, new NDList(x), false).singletonOrThrow();
            double fp32 = millisPerBatch(model, store, x);
            stage("cast parameters to bfloat16");
            for (var p : model.compiled().block().getParameters()) {
                p.getValue().setArray(p.getValue().getArray().toType(DataType.BFLOAT16, false));
            }
            stage("cast input to bfloat16");
            NDArray xb = x.toType(DataType.BFLOAT16, false);
            stage("bf16 forward");
            NDArray out = model.compiled().block().forward(store, new NDList(xb), false).singletonOrThrow();
            double diff = out.toType(DataType.FLOAT32, false).sub(reference).abs().max().getFloat();
            double bf16 = millisPerBatch(model, store, xb);
            System.out.printf("result fp32_ms=%.4f bf16_ms=%.4f max_abs_diff=%.6f%n", fp32, bf16, diff);
        }
    }

    private static double millisPerBatch(LoadedModel model, ParameterStore store, NDArray x) {
        model.compiled().block().forward(store, new NDList(x), false).singletonOrThrow().close();
        long start = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            model.compiled().block().forward(store, new NDList(x), false).singletonOrThrow().close();
        }
        return (System.nanoTime() - start) / 1e6 / RUNS;
    }

    private static void stage(String name) {
        System.out.println("stage " + name);
        System.out.flush();
    }
}
