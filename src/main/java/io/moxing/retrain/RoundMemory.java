package io.moxing.retrain;

import io.moxing.train.RunObserver;
import java.io.PrintStream;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a retraining round keeps while it runs, so that a round interrupted by a crash resumes rather than
 * starts over: the moment up to which it took feedback and the fine-tuning run's id. A round run as a
 * background job keeps them with the job; one run from the command line keeps nothing.
 */
public interface RoundMemory {
    /** The round's id; its decision carries it, so a round is decided once however often it is resumed. */
    String id();

    /** What an earlier attempt remembered; empty for a new round. */
    Map<String, String> recalled();

    void remember(Map<String, String> state);

    /** Watches the fine-tuning run; {@code onRun} is told its id as soon as it exists. */
    RunObserver observer(Consumer<String> onRun);

    PrintStream log();

    /** A round that remembers nothing beyond this process (the CLI, the demo). */
    static RoundMemory inProcess(PrintStream log) {
        String id = UUID.randomUUID().toString();
        return new RoundMemory() {
            public String id() {
                return id;
            }

            public Map<String, String> recalled() {
                return Map.of();
            }

            public void remember(Map<String, String> state) {}

            public RunObserver observer(Consumer<String> onRun) {
                return new RunObserver() {
                    @Override
                    public void onRunCreated(String runId) {
                        onRun.accept(runId);
                    }
                };
            }

            public PrintStream log() {
                return log;
            }
        };
    }
}
