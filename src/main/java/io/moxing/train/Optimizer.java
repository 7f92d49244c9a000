package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Unlike DJL's optimizers, which copy every
 * gradient and run a generic update per parameter (about 7 ms a step for cnn-28 here), these do the
 * arithmetic with a few in-place tensor operations (measured in docs/BENCHMARKS.md). State (moments)
 * lives in the model's manager and is saved with each checkpoint.
 */
public abstract class Optimizer {
    /** Per-parameter state arrays by parameter id, e.g. first and second moments. */
    protected final Map<String, NDArray[]> state = new LinkedHashMap<>();
    protected long steps;

    /**
     * Applies one update with learning rate {@code lr}; temporaries go to {@code scratch}. Parameters
     * are keyed by their path in the block (not DJL's per-instance ids), so that state saved by one
     * process is found again by the process that resumes the run.
     */
    public final void step(Map<String, Parameter> parameters, double lr, NDManager scratch) {
        steps++;
        beginStep(lr, scratch);
        for (var e : parameters.entrySet()) {
            NDArray weight = e.getValue().getArray();
            NDArray grad = weight.getGradient();
            grad.attach(scratch);
            update(e.getKey(), weight, grad, lr, scratch);
            Gradients.release(weight, grad);
        }
    }

    /** Drops this step's gradients without updating anything (a step whose gradients overflowed). */
    public final void skip(Map<String, Parameter> parameters) {
        for (Parameter p : parameters.values()) {
            NDArray weight = p.getArray();
            try (NDArray grad = weight.getGradient()) {
                Gradients.release(weight, grad);
            }
        }
    }

    /** Prepares what every parameter's update shares in this step. */
    protected void beginStep(double lr, NDManager scratch) {}

    protected abstract void update(String id, NDArray weight, NDArray grad, double lr, NDManager scratch);

    /** Hands a temporary to the step's scratch manager, which frees it when the step ends. */
    protected static NDArray temp(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }

    /** Moments for a parameter, created as zeros on first use. */
    protected NDArray[] stateFor(String id, NDArray weight, int count) {
        return state.computeIfAbsent(id, k -> {
            NDArray[] arrays = new NDArray[count];
            for (int i = 0; i < count; i++) {
                arrays[i] = weight.zerosLike();
                arrays[i].attach(weight.getManager());
            }
            return arrays;
        });
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeByte(1);
        out.writeLong(steps);
        out.writeInt(state.size());
        for (var e : state.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    public void load(DataInputStream in, NDManager manager) throws IOException {
        int version = in.readByte();
        if (version != 1) {
            throw new IOException("unsupported optimizer state version " + version);
        }
        steps = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            NDArray[] arrays = new NDArray[in.readInt()];
            for (int k = 0; k < arrays.length; k++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays[k] = NDArray.decode(manager, bytes);
            }
            state.put(id, arrays);
        }
    }
}
