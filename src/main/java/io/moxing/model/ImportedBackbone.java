package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pretrained feature extractor exported by PyTorch, used as a frozen layer: a TorchScript file run
 * by DJL's PyTorch engine, or an ONNX file run by ONNX Runtime. Its weights stay in the file (they
 * take no gradients and are not part of Moxing's parameter file); the layer always runs in inference
 * mode, so batch norm uses the exported statistics.
 */
final class ImportedBackbone extends AbstractBlock implements AutoCloseable {
    private static final byte VERSION = 1;
    private final String format;
    private final Path file;
    private final Shape sampleOutput;
    private PtSymbolBlock torchScript;
    private OnnxRunner onnx;

    ImportedBackbone(String format, Path file, Shape sampleOutput) {
        super(VERSION);
        this.format = format;
        this.file = file;
        this.sampleOutput = sampleOutput;
        if (!Files.isRegularFile(file)) {
            throw new UserException("file_not_found", file + ": no such " + format + " file; give the path of a backbone"
                    + " exported by PyTorch (see bench/export_mobilenetv2.py)");
        }
    }

    /** The output shape of one sample, found by running the file once on zeros. */
    static Shape probe(String format, Path file, java.util.List<Long> sampleShape) {
        long[] dims = new long[sampleShape.size() + 1];
        dims[0] = 1;
        for (int i = 0; i < sampleShape.size(); i++) dims[i + 1] = sampleShape.get(i);
        try (NDManager manager = io.moxing.core.DeepLearning.engine().newBaseManager()) {
            ImportedBackbone b = new ImportedBackbone(format, file, null);
            b.initialize(manager, DataType.FLOAT32, new Shape(dims));
            try {
                NDArray out = b.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(dims))), false)
                        .singletonOrThrow();
                return out.getShape().slice(1);
            } finally {
                b.close();
            }
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        try {
            if (format.equals("torchscript")) {
                torchScript = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], false);
            } else {
                onnx = new OnnxRunner(file);
            }
        } catch (OrtException | RuntimeException e) {
            throw new UserException("corrupt_model", file + ": cannot be loaded as " + format + " (" + e.getMessage()
                    + "); export it again with bench/export_mobilenetv2.py or torch." + (format.equals("onnx")
                    ? "onnx.export" : "jit.trace(...).save"), e);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (torchScript != null) {
            return torchScript.forward(store, inputs, false, params);
        }
        return new NDList(runOnnx(inputs.singletonOrThrow()));
    }

    private NDArray runOnnx(NDArray x) {
        try {
            float[] values = x.toFloatArray();
            OnnxRunner.Output out = onnx.run(values, 0, values.length, x.getShape().getShape());
            return x.getManager().create(out.values(), new Shape(out.shape()));
        } catch (OrtException e) {
            throw new UserException("wrong_shape", file + ": ONNX Runtime rejected an input of shape " + x.getShape()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0)).addAll(sampleOutput)};
    }

    @Override
    public void close() {
        if (torchScript != null) torchScript.close();
        if (onnx != null) onnx.close();
    }
}
