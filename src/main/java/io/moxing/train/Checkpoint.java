package io.moxing.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Saves and restores training state at an epoch boundary: parameters, optimizer moments and the
 * metrics history, at the end of every epoch (epochs shorter than a second are grouped). A checkpoint is written to a staging directory and renamed, so after a crash the
 * newest checkpoint directory is always complete. The two newest are kept.
 */
public final class Checkpoint implements TrainingListener {
    private static final int KEEP = 2;
    /** Epochs shorter than this are checkpointed together: saving costs more than redoing them. */
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
    private long lastSaved = System.nanoTime();
    private int epochs;
    private final RunDirectory run;
    private final Block block;
    private final Optimizer optimizer;

    public Checkpoint(RunDirectory run, Block block, Optimizer optimizer) {
        this.run = run;
        this.block = block;
        this.optimizer = optimizer;
    }

    /** The state file beside the tensors. */
    public record State(int epoch, List<EpochMetrics> history) {}

    @Override
    public void onStart(int startEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
        if (System.nanoTime() - lastSaved < MIN_INTERVAL_NANOS && metrics.epoch() < epochs) {
            return;
        }
        lastSaved = System.nanoTime();
        Path staging = AtomicFiles.stagingDirectory(run.checkpoints());
        AtomicFiles.write(staging.resolve("parameters.bin"), out -> block.saveParameters(new DataOutputStream(out)));
        AtomicFiles.write(staging.resolve("optimizer.bin"), out -> optimizer.save(new DataOutputStream(out)));
        AtomicFiles.writeJson(staging.resolve("state.json"), new State(metrics.epoch(), history));
        Path target = run.checkpoints().resolve(String.format("epoch-%05d", metrics.epoch()));
        AtomicFiles.deleteRecursively(target);
        AtomicFiles.commitDirectory(staging, target);
        run.writeMetrics(history);
        List<Path> all = run.checkpointDirs();
        for (int i = 0; i < all.size() - KEEP; i++) {
            AtomicFiles.deleteRecursively(all.get(i));
        }
    }

    /** Restores the newest checkpoint into the block and optimizer; returns its history (empty if none). */
    public List<EpochMetrics> restoreLatest(NDManager manager) {
        List<Path> all = run.checkpointDirs();
        if (all.isEmpty()) {
            return List.of();
        }
        Path latest = all.get(all.size() - 1);
        try (InputStream p = Files.newInputStream(latest.resolve("parameters.bin"));
             InputStream o = Files.newInputStream(latest.resolve("optimizer.bin"))) {
            block.loadParameters(manager, new DataInputStream(new java.io.BufferedInputStream(p)));
            // loaded arrays are fresh tensors: trainable ones must collect gradients again
            block.getParameters().values().stream().filter(ai.djl.nn.Parameter::requiresGradient)
                    .forEach(parameter -> parameter.getArray().setRequiresGradient(true));
            optimizer.load(new DataInputStream(new java.io.BufferedInputStream(o)), manager);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new UncheckedIOException("checkpoint " + latest + " cannot be loaded",
                    e instanceof IOException io ? io : new IOException(e));
        }
        State state = Json.read(latest.resolve("state.json"), State.class);
        return Arrays.asList(state.history().toArray(EpochMetrics[]::new));
    }
}
