package io.moxing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code moxing serve} as an operator runs it: its own JVM on a data directory, stdout and stderr going to
 * {@code NAME.out} and {@code NAME.err} as under a service manager (so no terminal).
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("moxing serving on http://127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final Path err;
    private final int port;

    private ServeProcess(Process process, Path err, int port) {
        this.process = process;
        this.err = err;
        this.port = port;
    }

    /** Starts the server with {@code args} and returns once it listens (its port is in the log). */
    public static ServeProcess start(Path home, Path logs, String name, Map<String, String> environment, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmoxing.home=" + home, "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.moxing.cli.Main", "serve"));
        command.addAll(List.of(args));
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(Files.readString(err));
            if (m.find()) return new ServeProcess(process, err, Integer.parseInt(m.group(1)));
            if (!process.isAlive()) throw new AssertionError("the server exited: " + Files.readString(err));
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start in 120 s: " + Files.readString(err));
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code condition} holds; fails naming {@code what} (with the server's log) if it does not in time or the server dies. */
    public void await(java.util.function.BooleanSupplier condition, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("not so: " + what + "; server log: " + log());
            }
            Thread.sleep(50);
        }
    }

    /** What the server has written to stderr so far. */
    public String log() throws IOException {
        return Files.readString(err);
    }

    /** Stops it as an operator would (SIGTERM: drain, then exit). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
