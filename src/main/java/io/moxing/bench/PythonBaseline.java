package io.moxing.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same recipe in PyTorch from Python, as a child process driven chunk by chunk, so that its
 * chunks can alternate with ours on the same noisy machine. It runs the way a healthy PyTorch job
 * runs: OpenBLAS tuned (no forced core type, one BLAS thread under torch's own threads) and glibc's
 * allocator set as moxing's own process has it (the launcher's settings, inherited), or at least with
 * the mmap threshold fixed ({@code ALLOCATOR}). Without that, a process that never frees a
 * medium-sized buffer before training keeps glibc's threshold at 128 KB, so every larger activation
 * is an mmap/munmap pair with fresh page faults, and PyTorch ran 4-6x slower than it does for its
 * users (measured in docs/BENCHMARKS.md).
 */
final class PythonBaseline implements AutoCloseable {
    /** glibc settings the baseline gets where moxing's process has none: a healthy PyTorch job's, in effect. */
    private static final Map<String, String> ALLOCATOR = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "134217728");

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String version;

    private PythonBaseline(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        JsonNode ready = read();
        this.version = ready.path("torch").asText();
    }

    /** Starts the baseline, or returns null (with the reason printed) when Python's torch is not installed. */
    static PythonBaseline start(Path script, java.io.PrintStream log, String... arguments) {
        String python = "/usr/bin/python3";
        if (!Files.isExecutable(Path.of(python)) || !Files.isRegularFile(script)) {
            log.println("PyTorch baseline skipped: " + python + " or " + script + " is missing");
            return null;
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of(python, script.toString()));
            command.addAll(List.of(arguments));
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().put("OPENBLAS_NUM_THREADS", "1");
            withAllocator(pb.environment());
            return new PythonBaseline(pb.start());
        } catch (IOException e) {
            log.println("PyTorch baseline skipped: " + e.getMessage()
                    + " (install python3-torch and libopenblas0-pthread: scripts/setup --bench)");
            return null;
        }
    }

    String version() {
        return version;
    }

    long pid() {
        return process.pid();
    }

    /**
     * The baseline alone: a fresh process, one warm-up chunk, then the timed chunk, with nothing else
     * running (the caller's process waits). Null when the baseline cannot start. Printed beside the
     * alternating figure, it shows whether the alternation handicaps the baseline.
     */
    static Double standalone(Path script, java.io.PrintStream log, String command, String field, String... arguments)
            throws IOException {
        try (PythonBaseline alone = start(script, log, arguments)) {
            if (alone == null) return null;
            alone.ask(command, field);
            return alone.ask(command, field);
        }
    }

    /** {@code environment} with the baseline's allocator settings added where it has none of its own. */
    private static Map<String, String> withAllocator(Map<String, String> environment) {
        ALLOCATOR.forEach(environment::putIfAbsent);
        return environment;
    }

    /** The allocator settings the baseline runs with, as {@link #allocatorSettings} writes them. */
    static String baselineAllocator() {
        return allocatorSettings(withAllocator(new java.util.HashMap<>(System.getenv())));
    }

    /** The allocator settings of a process's environment, as the bench reports them: "default" when none. */
    static String allocatorSettings(Map<String, String> environment) {
        String settings = environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith("MALLOC_") || e.getKey().equals("LD_PRELOAD"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" "));
        return settings.isEmpty() ? "glibc default" : settings;
    }

    /** Sends one command line and returns one field of its JSON answer. */
    double ask(String command, String field) throws IOException {
        in.println(command);
        return read().path(field).asDouble();
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the PyTorch baseline exited (is python3-torch installed?)");
        }
        return Json.MAPPER.readTree(line);
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
