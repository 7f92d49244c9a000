package io.moxing.core;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine the way Moxing needs it: offline (nothing is ever downloaded; the
 * native library comes from the jar on the class path) and with one inter-op thread, because
 * Moxing runs one graph at a time and a second inter-op pool only competes for the cores. On a
 * processor NNPACK does not support, NNPACK is turned off (see {@link Nnpack}) and one line says so.
 */
public final class DeepLearning {
    private static volatile Engine engine;

    private DeepLearning() {}

    /** The process's one intra-op thread setting, read by the PyTorch engine and by ONNX Runtime's sessions. */
    private static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";

    /** Threads one model call may use: the setting (e.g. {@code -Dai.djl.pytorch.num_threads=1}), else every core. */
    public static int intraOpThreads() {
        String set = System.getProperty(INTRA_OP_THREADS);
        try {
            return set == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(set.trim()));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DeepLearning.class) {
                if (engine == null) {
                    System.setProperty("ai.djl.offline", "true");
                    System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
                    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                    }
                    if (System.getProperty(INTRA_OP_THREADS) == null) {
                        System.setProperty(INTRA_OP_THREADS, Integer.toString(intraOpThreads()));
                    }
                    engine = Engine.getEngine("PyTorch");
                    // said once here, where PyTorch would otherwise say it once per small convolution
                    Nnpack.turnOffIfUnsupported().ifPresent(System.err::println);
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * Turns PyTorch's gradient recording off on the calling thread outside gradient collectors. Grad mode
     * is per thread: DJL turns it off only on the thread that loaded the engine, so a training loop on any
     * other (a server's job worker) would otherwise record its optimizer's in-place updates and fail.
     */
    public static void noGradientsOnThisThread() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** Seeds the engine's generator, which draws initial weights and dropout masks. */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * Runs {@code work} with PyTorch's intra-op parallelism set to {@code threads}, then restores it.
     * For work made of many tiny operations (one token at a time), waking other threads costs more
     * than it saves.
     */
    public static <T> T withIntraOpThreads(int threads, java.util.function.Supplier<T> work) {
        engine();
        int before = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        try {
            return work.get();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(before);
        }
    }
}
