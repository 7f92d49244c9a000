package io.moxing.model;

import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/** The weight initialisers a spec can name; biases always start at zero. */
final class Initializers {
    private Initializers() {}

    static Initializer of(String name) {
        return switch (name) {
            // limit sqrt(6 / (fan_in + fan_out)) = sqrt(3 / average fan): Keras' glorot_uniform
            case "glorot_uniform" -> new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.AVG, 3);
            // std sqrt(2 / fan_in)
            case "he_normal" -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                    XavierInitializer.FactorType.IN, 2);
            // the toy MLP's reference code: np.random.rand, uniform in [0, 1)
            case "uniform01" -> (manager, shape, dataType) -> manager.randomUniform(0f, 1f, shape, dataType);
            // GPT-2's: normal with standard deviation 0.02, for embeddings and Transformer weights
            case "normal02" -> (manager, shape, dataType) -> manager.randomNormal(0f, 0.02f, shape, dataType);
            default -> throw new IllegalArgumentException("unknown initializer " + name);
        };
    }
}
