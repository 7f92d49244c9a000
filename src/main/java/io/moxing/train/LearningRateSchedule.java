package io.moxing.train;

import io.moxing.model.TrainingSpec;

/**
 * The learning rate at a point in training: linear warm-up, then constant, step decay or cosine
 * decay to zero over the remaining epochs; or the one-cycle policy. Progress is measured in fractional
 * epochs so that the same schedule holds for any batch size.
 */
public record LearningRateSchedule(double base, TrainingSpec training) {

    public double at(int epoch, int batch, int batchesPerEpoch) {
        double progress = epoch + (double) batch / Math.max(1, batchesPerEpoch);
        if (training.schedule().equals("one_cycle")) {
            return oneCycle(progress);
        }
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

    /** One-cycle's start is lr / 25 and its end lr / 25e4, as torch.optim.lr_scheduler.OneCycleLR's defaults. */
    static final double ONE_CYCLE_DIV = 25;
    static final double ONE_CYCLE_FINAL_DIV = 1e4;

    /**
     * Smith's one-cycle policy as PyTorch's OneCycleLR draws it (two phases, cosine annealing): up from
     * lr/25 to lr over the warm-up (30% of the epochs unless {@code warmup_epochs} says), then down to
     * lr/25e4. The high middle regularises; the long low tail settles.
     */
    private double oneCycle(double progress) {
        double epochs = training.epochs();
        double rise = training.warmupEpochs() > 0 ? training.warmupEpochs() : 0.3 * epochs;
        double start = base / ONE_CYCLE_DIV;
        double end = start / ONE_CYCLE_FINAL_DIV;
        if (progress < rise) {
            return cosine(start, base, progress / rise);
        }
        return cosine(base, end, Math.min(1, (progress - rise) / Math.max(1e-9, epochs - rise)));
    }

    /** From {@code from} at t = 0 to {@code to} at t = 1 along half a cosine. */
    private static double cosine(double from, double to, double t) {
        return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
}
