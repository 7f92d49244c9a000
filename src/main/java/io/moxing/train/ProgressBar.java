package io.moxing.train;

import java.io.PrintStream;
import java.util.List;

/**
 * Training progress on the terminal: a bar with epoch, step, loss, samples/s and ETA, redrawn in place
 * when the output is a terminal and printed as one line per epoch otherwise (logs, CI). Full-batch
 * recipes print the loss every {@code logEvery} epochs instead.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean interactive;
    private final int logEvery;
    private int epochs;
    private int batches;
    private long lastDraw;
    private long started;
    private int startEpoch;

    public ProgressBar(PrintStream out, boolean interactive, int logEvery) {
        this.out = out;
        this.interactive = interactive;
        this.logEvery = logEvery;
    }

    @Override
    public void onStart(int startEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.epochs = epochs;
        this.batches = batchesPerEpoch;
        this.startEpoch = startEpoch;
        this.started = System.nanoTime();
        if (startEpoch > 0) {
            out.printf("resuming after epoch %d of %d%n", startEpoch, epochs);
        }
    }

    @Override
    public void onBatch(int epoch, int batch, double loss, double samplesPerSecond) {
        if (!interactive || logEvery > 0) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && batch + 1 < batches) return;
        lastDraw = now;
        int filled = (int) ((batch + 1) * (long) WIDTH / batches);
        double epochFraction = (batch + 1.0) / batches;
        double elapsed = (now - started) / 1e9;
        double done = (epoch - startEpoch) + epochFraction;
        double eta = elapsed / done * (epochs - startEpoch - done);
        out.printf("\repoch %d/%d [%s%s] %d/%d loss %.4f %,.0f samples/s ETA %s   ", epoch + 1, epochs,
                "=".repeat(filled), " ".repeat(WIDTH - filled), batch + 1, batches, loss, samplesPerSecond, clock(eta));
        out.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m, List<EpochMetrics> history) {
        if (logEvery > 0) {
            // the recipe's interval, widened so that a long run prints about ten lines
            int every = Math.max(logEvery, epochs / 10 / logEvery * logEvery);
            if (m.epoch() % every == 0 || m.epoch() == epochs) {
                out.printf("epoch %d  loss %.6f%n", m.epoch(), m.trainLoss());
            }
            return;
        }
        StringBuilder line = new StringBuilder(String.format("%sepoch %d/%d  loss %.4f", interactive ? "\r" : "",
                m.epoch(), epochs, m.trainLoss()));
        if (m.trainAccuracy() != null) line.append(String.format("  acc %.4f", m.trainAccuracy()));
        if (m.valLoss() != null) line.append(String.format("  val_loss %.4f", m.valLoss()));
        if (m.valAccuracy() != null) line.append(String.format("  val_acc %.4f", m.valAccuracy()));
        line.append(String.format("  %,.0f samples/s  %.1fs", m.samplesPerSecond(), m.seconds()));
        out.println(line + (interactive ? " ".repeat(20) : ""));
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "--:--";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
