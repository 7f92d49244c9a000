package io.moxing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moxing.ServeProcess;
import io.moxing.SharedHome;
import io.moxing.TestFiles;
import io.moxing.train.TrainResult;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moxing serve} as an operator runs it: its own process, stdout and stderr going to files as
 * under a service manager (so no terminal), what those files hold checked line by line.
 */
class ServeCommandTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.close();
    }

    @Test
    void offATerminalTheFirstAdminTokenGoesToAnOwnerOnlyFileAndNotToStdout() throws Exception {
        Path home = tmp.resolve("home");
        int port = serve(home, Map.of(), "--port", "0");
        Path file = home.resolve("secrets").resolve("admin-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertTrue(token.startsWith("mx_admin_"), token);
        String stdout = Files.readString(tmp.resolve("serve.out"));
        assertTrue(stdout.contains(file.toString()), "stdout names the file: " + stdout);
        assertFalse(stdout.contains("mx_admin_"), "no token on stdout: " + stdout);
        assertFalse(Files.readString(tmp.resolve("serve.err")).contains("mx_admin_"), "nor on stderr");
        assertEquals(200, get(port, "/metrics", token).statusCode(), "the token in the file signs in");
        assertEquals(401, get(port, "/metrics", null).statusCode());
    }

    /**
     * A stand-in for a processor NNPACK refuses (the one issue 10 measured 8,646 warnings on): a preloaded
     * {@code nnp_initialize} that answers "unsupported hardware", as NNPACK's own does there.
     */
    @Test
    void whereNnpackRefusesTheProcessorPyTorchDoesNotWarnPerRequestAndMoxingSaysItOnce() throws Exception {
        Path shim = nnpackRefusingInitializer();
        TrainResult trained = SharedHome.cnn();
        Path home = tmp.resolve("home");
        copy(SharedHome.home().models().resolve(trained.model()).resolve(Integer.toString(trained.version())),
                home.resolve("models").resolve(trained.model()).resolve(Integer.toString(trained.version())));
        System.setProperty("moxing.home", home.toString());
        try {
            assertEquals(0, Main.run("deploy", trained.model()));
        } finally {
            System.clearProperty("moxing.home");
        }
        int port = serve(home, Map.of("LD_PRELOAD", shim.toString()), "--no-auth", "--port", "0");
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(TestFiles.png(28, 28, Color.GRAY)) + "\"}";
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/"
                    + trained.model() + "/predict")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
        List<String> stderr = Files.readAllLines(tmp.resolve("serve.err"));
        assertEquals(0, stderr.stream().filter(l -> l.contains("Could not initialize NNPACK")).count(),
                "PyTorch's warning, once per batch-1 convolution without the fix: " + stderr);
        assertEquals(1, stderr.stream().filter(l -> l.startsWith("note: NNPACK does not support this processor")).count(),
                String.join("\n", stderr));
    }

    /** Starts {@code moxing serve ARGS} on {@code home} and returns its port once it listens. */
    private int serve(Path home, Map<String, String> environment, String... args) throws Exception {
        server = ServeProcess.start(home, tmp, "serve", environment, args);
        return server.port();
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Compiles the stand-in {@code nnp_initialize}; the test is skipped where there is no C compiler. */
    private Path nnpackRefusingInitializer() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "LD_PRELOAD is how the stand-in gets in");
        Path source = tmp.resolve("nnp.c");
        // 51 is nnp_status_unsupported_hardware in NNPACK's nnpack.h
        Files.writeString(source, "int nnp_initialize(void) { return 51; }\n");
        Path library = tmp.resolve("libnnp-refuses.so");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", library.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no C compiler (cc) to build the stand-in");
            throw e;
        }
        String output = new String(cc.getInputStream().readAllBytes());
        assertEquals(0, cc.waitFor(), output);
        return library;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }
}
