package io.moxing.bench;

import io.moxing.core.MoxingHome;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code moxing serve} as a child process of this JVM, on a data directory of its own and a free
 * port, so that a benchmark can kill it, restart it or read its CPU clock. Its stderr goes to
 * {@code server.log} in that directory.
 */
final class ServerProcess {
    private final Path home;
    private final int port;
    private final int grpcPort;
    private final List<String> command;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    /**
     * @param systemProperties extra {@code -D} options of the child JVM, e.g. its engine's thread count
     * @param serveOptions     options of {@code moxing serve} after {@code --port}, e.g. {@code --no-auth}
     */
    ServerProcess(Path home, List<String> systemProperties, List<String> serveOptions) throws IOException {
        this.home = home;
        this.port = freePort();
        this.grpcPort = freePort();
        command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // heap and collector as this JVM got them from ./moxing, so that the child runs as `./moxing serve` would
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList());
        // compiler threads that come and go would take their CPU time with them (FormatCosts reads it per thread)
        command.add("-XX:-UseDynamicNumberOfCompilerThreads");
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.moxing.cli.Main", "serve",
                "--port", Integer.toString(port), "--grpc-port", Integer.toString(grpcPort)));
        command.addAll(serveOptions);
    }

    /**
     * A scratch data directory that borrows the registry and the data sets of {@code home}, so that a
     * benchmark's deployments, keys and ledger never touch the user's state.
     */
    static MoxingHome scratchHome(MoxingHome home, String prefix) throws IOException {
        Path scratch = Files.createTempDirectory(prefix);
        Files.createSymbolicLink(scratch.resolve("models"), home.models().toAbsolutePath());
        Files.createSymbolicLink(scratch.resolve("datasets"), home.datasets().toAbsolutePath());
        return new MoxingHome(scratch);
    }

    /** Starts the server and returns once it answers ready (at most two minutes). */
    void start() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().put("MOXING_HOME", home.toString());
        process = pb.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the server exited; see " + log());
            try {
                var r = http.send(HttpRequest.newBuilder(url("/v2/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not become ready in 120 s; see " + log());
    }

    int port() {
        return port;
    }

    /** The port of its gRPC endpoint (the Open Inference Protocol's gRPC half). */
    int grpcPort() {
        return grpcPort;
    }

    long pid() {
        return process.pid();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The body of a GET that must answer 200 (e.g. /metrics). */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    Path log() {
        return home.resolve("server.log");
    }

    /** SIGKILL: no shutdown hook, no drain, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the graceful shutdown. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
