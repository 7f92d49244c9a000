package io.moxing.train;

import io.moxing.model.TrainingSpec;

/**
 * The learning rate at a point in training: linear warm-up, then constant, step decay or cosine
 * decay to zero over the remaining epochs. Progress is measured in fractional epochs so that the
 * same schedule holds for any batch size.
 */
public record LearningRateSchedule(double base, TrainingSpec training) {

    public double at(int epoch, int batch, int batchesPerEpoch) {
        double progress = epoch + (double) batch / Math.max(1, batchesPerEpoch);
        double warmup = training.warmupEpochs();
        if (warmup > 0 && progress < warmup) {
            return base * (progress + 1.0 / Math.max(1, batchesPerEpoch)) / warmup;
        }
        return switch (training.schedule()) {
            case "step" -> base * Math.pow(training.stepGamma(), Math.floor(epoch / (double) training.stepEpochs()));
            case "cosine" -> {
                double span = Math.max(1e-9, training.epochs() - warmup);
                double t = Math.min(1, (progress - warmup) / span);
                yield base * 0.5 * (1 + Math.cos(Math.PI * t));
            }
            default -> base;
        };
    }
}
