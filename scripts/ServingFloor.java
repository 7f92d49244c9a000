import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.stub.StreamObserver;
import io.moxing.bench.BatchCounter;
import io.moxing.bench.ProcessCpu;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.InferParameter;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferResponse;
import io.moxing.grpc.protocol.ServerLiveRequest;
import io.moxing.grpc.protocol.ServerLiveResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What batching costs a server before any of Moxing's own work: stand-in servers on the same HTTP and gRPC stacks
 * (Jetty 11's servlet container, grpc-java's Netty) that hand each inference request to one batch thread and answer
 * it from there, with no admission, metering, drift counting or JSON: the HTTP one reads the body, the gRPC one its
 * floats. In place of a model the batch thread spins for a CPU time per row and counts it as moxing counts its
 * model's, so that the cores are as busy as beside a real model. Measured beside a real {@code moxing serve} in
 * alternating windows, at the same arrival rate, by the same definition as {@code moxing bench serve}: server CPU per
 * request, less the bare request's (HTTP's health check, gRPC's ServerLive) and less the model's counted CPU.
 *
 * <p>Run by {@code scripts/serving-floor}, which starts the servers; see docs/BENCHMARKS.md for why it exists.
 * A script, not a {@code moxing bench} command: the stand-ins are not part of the product.
 */
public class ServingFloor {
    /** Requests in flight, as bench serve's 64 clients. */
    private static final int CLIENTS = 64;
    /** The JSON header of moxing's v2 binary answer for cnn-28, in bytes: its model, version, ids and output's shape. */
    private static final int ANSWER_HEADER = 257;
    /** The most requests a stand-in batch takes, as moxing's default {@code --max-batch}. */
    private static final int MAX_BATCH = 64;
    /** The model label of the stand-ins' counter. */
    private static final String STAND_IN_LABEL = "stand-in";
    /** The stand-ins' "model" CPU so far, in ns, answered as moxing answers its own at {@code GET /metrics}. */
    private static final AtomicLong MODEL_NANOS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "stand-in" -> {
                // both stand-ins in one process, as moxing serve has both ports; the idle one costs next to nothing
                Path pace = Path.of(args[3]);
                Thread grpc = new Thread(() -> {
                    try {
                        grpcServer(Integer.parseInt(args[2]), pace);
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(1);
                    }
                }, "grpc-stand-in");
                grpc.start();
                httpServer(Integer.parseInt(args[1]), pace);
            }
            case "measure" -> new Measure(args).run();
            default -> throw new IllegalArgumentException("stand-in HTTP_PORT GRPC_PORT PACE_FILE | measure ...");
        }
    }

    /**
     * The stand-in batcher: one thread takes what waits (at most {@link #MAX_BATCH}), waits 1 ms for companions as a
     * batcher does, then spins for a pace of its own CPU time per row in place of the model, and answers each request.
     * A sleep in place of the model would leave a core idle that moxing's model keeps busy, and threads with a core
     * to spare wake more often for fewer requests each: the very cost measured here. The pace is read from a file,
     * so that the measuring side can match the real server's arrival rate without a restart.
     */
    static final class Batch {
        private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        private volatile long paceNanos;

        Batch(Path paceFile) {
            Thread pacer = new Thread(() -> {
                while (true) {
                    try {
                        paceNanos = Long.parseLong(Files.readString(paceFile).trim());
                    } catch (IOException | NumberFormatException e) {
                        // not written yet: the pace stays
                    }
                    LockSupport.parkNanos(200_000_000L);
                }
            }, "pacer");
            pacer.setDaemon(true);
            pacer.start();
            Thread t = new Thread(() -> {
                List<Runnable> jobs = new ArrayList<>();
                while (true) {
                    try {
                        jobs.add(queue.take());
                    } catch (InterruptedException e) {
                        return;
                    }
                    queue.drainTo(jobs, MAX_BATCH - 1);
                    LockSupport.parkNanos(1_000_000);
                    queue.drainTo(jobs, MAX_BATCH - jobs.size());
                    spin(paceNanos * jobs.size());
                    for (Runnable r : jobs) r.run();
                    jobs.clear();
                }
            }, "batch");
            t.setDaemon(true);
            t.start();
        }

        void submit(Runnable r) {
            queue.add(r);
        }

        /** Uses {@code nanos} of this thread's CPU time, and counts it as the model's. */
        private static void spin(long nanos) {
            var clock = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = clock.getCurrentThreadCpuTime(), now = start;
            while (now - start < nanos) now = clock.getCurrentThreadCpuTime();
            MODEL_NANOS.addAndGet(now - start);
        }
    }

    /** GET answers {"live":true}; POST reads the body, goes asynchronous and is answered from the batch thread. */
    static void httpServer(int port, Path paceFile) throws Exception {
        Batch batch = new Batch(paceFile);
        byte[] live = "{\"live\":true}".getBytes();
        // the size of a v2 binary answer of ten FP32 scores: its JSON header (ANSWER_HEADER bytes) and 40 bytes
        byte[] answer = new byte[ANSWER_HEADER + 10 * Float.BYTES];
        java.util.Arrays.fill(answer, (byte) 'a');
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(new QueuedThreadPool(250, 8, 60_000));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                if (req.getRequestURI().equals("/metrics")) {
                    res.setContentType("text/plain");
                    res.getWriter().print("moxing_model_cpu_seconds_total{model=\"" + STAND_IN_LABEL + "\"} " + MODEL_NANOS.get() / 1e9 + "\n");
                    return;
                }
                res.setStatus(200);
                res.setContentType("application/json");
                res.setContentLength(live.length);
                res.getOutputStream().write(live);
            }

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
                // read whole, as a server must before it can decode; its bytes are not looked at
                req.getInputStream().readNBytes((int) req.getContentLengthLong());
                AsyncContext async = req.startAsync();
                async.setTimeout(0);
                batch.submit(() -> {
                    try {
                        res.setStatus(200);
                        res.setContentType("application/octet-stream");
                        res.setHeader("Inference-Header-Content-Length", Integer.toString(ANSWER_HEADER));
                        res.setContentLength(answer.length);
                        res.getOutputStream().write(answer);
                    } catch (IOException e) {
                        // the client went away
                    } finally {
                        async.complete();
                    }
                });
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        server.join();
    }

    /** ServerLive answered on the event loop; ModelInfer's floats read there, then answered from the batch thread. */
    static void grpcServer(int port, Path paceFile) throws Exception {
        // as moxing serve's gRPC port (GrpcServer): no leak detector, calls on the event loops
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Batch batch = new Batch(paceFile);
        AtomicLong ids = new AtomicLong();
        var service = new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
            @Override
            public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
                answer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
                answer.onCompleted();
            }

            @Override
            public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
                ByteBuffer raw = request.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] input = new float[raw.remaining() / Float.BYTES];
                raw.asFloatBuffer().get(input);
                String id = Long.toString(ids.incrementAndGet());
                batch.submit(() -> {
                    byte[] scores = new byte[10 * Float.BYTES];
                    ByteBuffer.wrap(scores).order(ByteOrder.LITTLE_ENDIAN).putFloat(input[0]);
                    answer.onNext(ModelInferResponse.newBuilder().setModelName(request.getModelName()).setModelVersion("1")
                            .setId(id).putParameters("prediction_id", InferParameter.newBuilder().setStringParam("p" + id).build())
                            .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("output").setDatatype("FP32")
                                    .addShape(1).addShape(10))
                            .addRawOutputContents(ByteString.copyFrom(scores)).build());
                    answer.onCompleted();
                });
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).directExecutor()
                .addService(service).build().start();
        server.awaitTermination();
    }

    /**
     * measure ROUNDS SECONDS SCRATCH_DIR PACE_FILE standin-http standin-grpc standin-pid real-http real-grpc real-pid
     * MODEL: calibrates the stand-ins' pace to the real server's arrival rate, then alternates windows.
     */
    static final class Measure {
        private final int rounds;
        private final int seconds;
        /** wrk's script of a v2 binary request: one 28×28 FP32 image, the answer asked in binary as well. */
        private final Path wrkScript;
        private final Path paceFile;
        private final Side standIn;
        private final Side real;
        private final String model;
        private final HttpClient http = HttpClient.newHttpClient();
        /** The stand-ins' CPU time per row in place of the model, in ns (written to the pace file). */
        private long pace;

        /** One server: its name, ports, process, and the label its model's CPU is counted under in its /metrics. */
        record Side(String name, int httpPort, int grpcPort, long pid, String modelLabel) {}

        /** A window's server CPU per request (µs, the model's counted part taken off) and answers per second. */
        record Window(double us, double rate) {}

        /** What the rounds measured of one protocol, in µs a request. */
        private static final class Rounds {
            final List<Double> floor = new ArrayList<>(), floorNetOfOurBare = new ArrayList<>(), ours = new ArrayList<>();
            final List<Double> paced = new ArrayList<>(), pacedRate = new ArrayList<>();
        }

        Measure(String[] a) {
            rounds = Integer.parseInt(a[1]);
            seconds = Integer.parseInt(a[2]);
            wrkScript = Path.of(a[3]).resolve("v2-binary.lua");
            paceFile = Path.of(a[4]);
            model = a[11];
            standIn = new Side("stand-in", Integer.parseInt(a[5]), Integer.parseInt(a[6]), Long.parseLong(a[7]), STAND_IN_LABEL);
            real = new Side("moxing", Integer.parseInt(a[8]), Integer.parseInt(a[9]), Long.parseLong(a[10]), model);
        }

        void run() throws Exception {
            writeV2Binary();
            for (Side s : List.of(standIn, real)) {
                for (String kind : List.of("http-bare", "http-infer", "grpc-bare", "grpc-infer")) window(s, kind, 15);
            }
            for (String protocol : List.of("http", "grpc")) {
                double target = calibrate(protocol);
                Rounds measured = new Rounds();
                for (int r = 1; r <= rounds; r++) {
                    // the two servers in turn, the first of them swapped every round, so that the machine's drift
                    // within a round favours neither; the stand-in's pace follows moxing's latest rate
                    Window realBare = null, standInInfer = null;
                    for (Side s : r % 2 == 1 ? List.of(real, standIn) : List.of(standIn, real)) {
                        Window bare = window(s, protocol + "-bare", seconds);
                        Window infer = window(s, protocol + "-infer", seconds);
                        double beyond = infer.us - bare.us;
                        System.out.printf("%s round %d %-8s bare %6.1f µs at %6.0f/s   inference %6.1f µs at %5.0f/s   beyond bare %5.1f µs%n",
                                protocol, r, s.name, bare.us, bare.rate, infer.us, infer.rate, beyond);
                        if (s == real) {
                            measured.ours.add(beyond);
                            realBare = bare;
                            target = infer.rate;
                        } else {
                            measured.floor.add(beyond);
                            standInInfer = infer;
                        }
                    }
                    // moxing's own health check is dearer than the stand-in's (its front, its request counter): the
                    // floor net of it is what moxing's overhead would read if all of moxing's own work cost nothing
                    measured.floorNetOfOurBare.add(standInInfer.us - realBare.us);
                    pace(pace * standInInfer.rate / target);
                    if (protocol.equals("http")) {
                        // the bare request's cost depends on how often requests come: the same health check, each
                        // connection waiting between requests so that they come about as often as the inferences
                        Window paced = pacedBare(real, target);
                        measured.paced.add(paced.us);
                        measured.pacedRate.add(paced.rate);
                        System.out.printf("http round %d moxing   health check paced to %.0f/s: %.1f µs at %.0f/s%n", r, target,
                                paced.us, paced.rate);
                    }
                }
                System.out.printf("%s medians beyond the bare request: stand-in %.1f µs (net of moxing's bare request %.1f),"
                        + " moxing %.1f µs%n", protocol, median(measured.floor), median(measured.floorNetOfOurBare), median(measured.ours));
                if (protocol.equals("http")) {
                    System.out.printf("http median of moxing's health check paced to its inference rate: %.1f µs at %.0f/s%n",
                            median(measured.paced), median(measured.pacedRate));
                }
                System.out.println();
            }
        }

        /** The health check, each of the clients waiting 64/rate s between requests (wrk's delay()). */
        private Window pacedBare(Side s, double rate) throws Exception {
            Path script = wrkScript.resolveSibling("paced.lua");
            Files.writeString(script, "function delay() return " + Math.max(1, Math.round(1000.0 * CLIENTS / rate)) + " end\n");
            return timed(s, seconds, () -> wrk(s, script, "/v2/health/live", seconds));
        }

        private void pace(double nanos) throws Exception {
            pace = Math.max(0, (long) nanos);
            Files.writeString(paceFile, Long.toString(pace));
            Thread.sleep(500);
        }

        /**
         * Sets the stand-in's pace so that its inference rate is the real server's, within 10% (four tries; said when
         * not reached); returns the real server's rate.
         */
        private double calibrate(String protocol) throws Exception {
            double target = window(real, protocol + "-infer", seconds).rate;
            pace(100_000);
            for (int i = 0; i < 4; i++) {
                double rate = window(standIn, protocol + "-infer", seconds).rate;
                System.out.printf("%s pace %d µs a row: stand-in %.0f/s, moxing %.0f/s%n", protocol, pace / 1000, rate, target);
                if (Math.abs(rate - target) < 0.1 * target) return target;
                pace(pace * rate / target);
            }
            System.out.printf("%s: the stand-in's rate is not within 10%% of moxing's after four tries; the rounds follow it%n", protocol);
            return target;
        }

        /** The bench's v2 binary request for a 28×28 grey image, and the wrk script that sends it. */
        private void writeV2Binary() throws IOException {
            byte[] header = ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\","
                    + "\"parameters\":{\"binary_data_size\":3136}}],\"parameters\":{\"binary_data_output\":true}}").getBytes();
            ByteBuffer body = ByteBuffer.allocate(header.length + 28 * 28 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            body.put(header);
            for (int i = 0; i < 28 * 28; i++) body.putFloat((i % 255) / 255f);
            Path bin = wrkScript.resolveSibling("v2-binary.bin");
            Files.write(bin, body.array());
            Files.writeString(wrkScript, "local f = io.open(\"" + bin + "\", \"rb\"); local body = f:read(\"*all\"); f:close()\n"
                    + "wrk.method = \"POST\"\nwrk.body = body\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"
                    + "wrk.headers[\"Inference-Header-Content-Length\"] = \"" + header.length + "\"\n");
        }

        private Window window(Side s, String kind, int secs) throws Exception {
            boolean infer = kind.endsWith("infer");
            return timed(s, secs, () -> !kind.startsWith("http") ? grpc(s, infer, secs)
                    : wrk(s, infer ? wrkScript : null, infer ? "/v2/models/" + model + "/infer" : "/v2/health/live", secs));
        }

        /** The load {@code load} (which returns its answers), timed in the server's CPU as bench serve times a window. */
        private Window timed(Side s, int secs, java.util.concurrent.Callable<Long> load) throws Exception {
            BatchCounter model0 = counter(s);
            long cpu0 = cpuNanos(s.pid);
            long answered = load.call();
            // requests still in flight when the load stopped finish before the clock is read again
            Thread.sleep(100);
            double cpuUs = (cpuNanos(s.pid) - cpu0) / 1e3 - counter(s).modelCpuMicrosSince(model0);
            return new Window(cpuUs / answered, (double) answered / secs);
        }

        /** wrk's answers in {@code secs} at {@value #CLIENTS} connections, each 2xx (else an exception). */
        private long wrk(Side s, Path script, String path, int secs) throws Exception {
            List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + CLIENTS, "-d" + secs + "s"));
            if (script != null) command.addAll(List.of("-s", script.toString()));
            command.add("http://127.0.0.1:" + s.httpPort + path);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Matcher m = Pattern.compile("(\\d+) requests in").matcher(out);
            // a refused or failed request would make the others look dearer
            if (!m.find() || out.contains("Non-2xx") || out.contains("Socket errors")) throw new IOException("wrk: " + out);
            return Long.parseLong(m.group(1));
        }

        /** {@value #CLIENTS} calls in flight over eight HTTP/2 connections, as bench serve's gRPC format. */
        private long grpc(Side s, boolean infer, int secs) throws Exception {
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                channels.add(Grpc.newChannelBuilderForAddress("127.0.0.1", s.grpcPort, InsecureChannelCredentials.create()).build());
            }
            ByteBuffer raw = ByteBuffer.allocate(28 * 28 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 28 * 28; i++) raw.putFloat((i % 255) / 255f);
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                            .addShape(1).addShape(1).addShape(28).addShape(28))
                    .addRawInputContents(ByteString.copyFrom(raw.array())).build();
            Semaphore inFlight = new Semaphore(CLIENTS);
            AtomicLong done = new AtomicLong(), errors = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
            for (long i = 0; System.nanoTime() < end; i++) {
                inFlight.acquire();
                var stub = GRPCInferenceServiceGrpc.newStub(channels.get((int) (i % channels.size()))).withDeadlineAfter(60, TimeUnit.SECONDS);
                StreamObserver<Object> observer = new StreamObserver<>() {
                    public void onNext(Object v) {}

                    public void onError(Throwable t) {
                        errors.incrementAndGet();
                        inFlight.release();
                    }

                    public void onCompleted() {
                        done.incrementAndGet();
                        inFlight.release();
                    }
                };
                if (infer) stub.modelInfer(request, narrow(observer));
                else stub.serverLive(ServerLiveRequest.getDefaultInstance(), narrow(observer));
            }
            inFlight.acquire(CLIENTS);
            channels.forEach(ManagedChannel::shutdownNow);
            if (errors.get() > 0) throw new IOException(s.name + ": " + errors.get() + " gRPC calls failed");
            return done.get();
        }

        @SuppressWarnings("unchecked")
        private static <T> StreamObserver<T> narrow(StreamObserver<Object> o) {
            return (StreamObserver<T>) (StreamObserver<?>) o;
        }

        /** A server's counters, its model's CPU among them (the stand-in's: its spinning). */
        private BatchCounter counter(Side s) throws Exception {
            return BatchCounter.parse(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body(), s.modelLabel);
        }

        /** A process's CPU time, its JIT compiler threads left out as bench serve does (their work is warm-up). */
        private static long cpuNanos(long pid) {
            return ProcessCpu.nanos(pid) - ProcessCpu.compilerNanos(pid);
        }

        private static double median(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }
}
