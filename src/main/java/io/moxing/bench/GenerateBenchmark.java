package io.moxing.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code moxing bench generate}: a language model served by a real {@code moxing serve} in its own process,
 * driven through the OpenAI-compatible streaming API by 1, 8 and 32 concurrent clients of this process,
 * each asking for {@value #NEW_TOKENS} new tokens. The levels alternate in rounds (the machine's speed
 * swings within minutes; a ratio of two moments would measure the swing), and each level's throughput is
 * the median of its rounds; time to first token and the gaps between tokens are pooled over every stream.
 */
public final class GenerateBenchmark {
    public static final int NEW_TOKENS = 128;
    static final List<Integer> LEVELS = List.of(1, 8, 32);
    private static final String DEPLOYMENT = "bench-lm";
    private static final List<String> PROMPTS = List.of("春眠不觉晓", "床前明月光", "白日依山尽", "红豆生南国", "千山鸟飞绝",
            "月落乌啼霜满天", "故人西辞黄鹤楼", "国破山河在");

    /** One concurrency level: its median throughput over the rounds and the latencies of all its streams. */
    public record Level(int streams, @JsonProperty("tokens_per_second") double tokensPerSecond,
                        @JsonProperty("rounds_tokens_per_second") List<Double> rounds,
                        @JsonProperty("ttft_p50_ms") double ttftP50Ms, @JsonProperty("ttft_p99_ms") double ttftP99Ms,
                        @JsonProperty("itl_p50_ms") double itlP50Ms, @JsonProperty("itl_p99_ms") double itlP99Ms,
                        int errors) {}

    public record Result(String model, @JsonProperty("new_tokens") int newTokens, int rounds, List<Level> levels,
                         @JsonProperty("speedup_32") double speedup32,
                         @JsonProperty("itl_p99_p50_32") double itlP99P50at32, int errors) {}

    private final MoxingHome home;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GenerateBenchmark(MoxingHome home, PrintStream progress) {
        this.home = home;
        this.progress = progress;
    }

    public Result run(String modelRef, int rounds) throws IOException, InterruptedException {
        ModelVersion card = new ModelRegistry(home.models()).card(modelRef);
        if (!card.task().isLanguageModel()) {
            throw new UserException("not_a_language_model", card.ref() + " is not a language model; e.g. moxing train transformer-lm");
        }
        MoxingHome benchHome = ServerProcess.scratchHome(home, "moxing-bench-generate");
        Database db = Database.open(null, benchHome.database());
        new SqlDeployments(db).put(DeploymentRequests.target(card.ref(), DEPLOYMENT, "production", 100,
                Collections.max(LEVELS), 2, 1, new ModelRegistry(benchHome.models())));
        ServerProcess server = new ServerProcess(benchHome.root(), List.of(), List.of("--no-auth", "--job-workers", "0"));
        ExecutorService clients = Executors.newFixedThreadPool(Collections.max(LEVELS));
        try {
            server.start();
            progress.printf("serving %s in its own process on port %d; %d rounds of %s concurrent streams, %d new tokens each%n",
                    card.ref(), server.port(), rounds, LEVELS, NEW_TOKENS);
            measure(server, clients, 2, 16); // warm-up: the engine's lazy set-up, the JIT
            Map<Integer, List<Double>> perSecond = new LinkedHashMap<>();
            Map<Integer, List<Double>> ttft = new LinkedHashMap<>();
            Map<Integer, List<Double>> gaps = new LinkedHashMap<>();
            Map<Integer, Integer> errors = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                // the order turns each round, so no level always runs first (or right after the heaviest)
                for (int k = 0; k < LEVELS.size(); k++) {
                    int level = LEVELS.get((k + round) % LEVELS.size());
                    Batch b = measure(server, clients, level, NEW_TOKENS);
                    perSecond.computeIfAbsent(level, x -> new ArrayList<>()).add(b.tokensPerSecond());
                    ttft.computeIfAbsent(level, x -> new ArrayList<>()).addAll(b.ttftMs());
                    gaps.computeIfAbsent(level, x -> new ArrayList<>()).addAll(b.gapsMs());
                    errors.merge(level, b.errors(), Integer::sum);
                    progress.printf("round %d, %2d streams: %,7.0f tokens/s%s%n", round + 1, level, b.tokensPerSecond(),
                            b.errors() == 0 ? "" : " (" + b.errors() + " errors)");
                }
            }
            List<Level> levels = new ArrayList<>();
            for (int level : LEVELS) {
                levels.add(new Level(level, round2(TrainBenchmark.median(perSecond.get(level))), perSecond.get(level), percentile(ttft.get(level), 50),
                        percentile(ttft.get(level), 99), percentile(gaps.get(level), 50), percentile(gaps.get(level), 99),
                        errors.get(level)));
            }
            Level one = levels.get(0), last = levels.get(levels.size() - 1);
            return new Result(card.ref(), NEW_TOKENS, rounds, levels, round2(last.tokensPerSecond() / one.tokensPerSecond()),
                    round2(last.itlP99Ms() / last.itlP50Ms()), errors.values().stream().mapToInt(Integer::intValue).sum());
        } finally {
            clients.shutdownNow();
            server.stop();
        }
    }

    /** What one level's streams measured. */
    private record Batch(double tokensPerSecond, List<Double> ttftMs, List<Double> gapsMs, int errors) {}

    /** One stream's arrival times: when it was sent, and when each content chunk came. */
    private record Stream1(long sentNanos, List<Long> chunkNanos, int tokens, boolean failed) {}

    private Batch measure(ServerProcess server, ExecutorService clients, int streams, int tokens) {
        List<CompletableFuture<Stream1>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            String prompt = PROMPTS.get(i % PROMPTS.size());
            int seed = i;
            running.add(CompletableFuture.supplyAsync(() -> stream(server, prompt, tokens, seed), clients));
        }
        List<Stream1> done = running.stream().map(CompletableFuture::join).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> ttft = new ArrayList<>(), gaps = new ArrayList<>();
        int total = 0, failed = 0;
        for (Stream1 s : done) {
            if (s.failed() || s.chunkNanos().isEmpty()) {
                failed++;
                continue;
            }
            total += s.tokens();
            ttft.add((s.chunkNanos().get(0) - s.sentNanos()) / 1e6);
            for (int k = 1; k < s.chunkNanos().size(); k++) gaps.add((s.chunkNanos().get(k) - s.chunkNanos().get(k - 1)) / 1e6);
        }
        return new Batch(total / seconds, ttft, gaps, failed);
    }

    private Stream1 stream(ServerProcess server, String prompt, int tokens, int seed) {
        String body = Json.line(Map.of("model", DEPLOYMENT, "prompt", prompt, "max_tokens", tokens, "temperature", 0.8,
                "seed", seed, "stream", true, "stream_options", Map.of("include_usage", true)));
        long sent = System.nanoTime();
        List<Long> chunks = new ArrayList<>();
        int[] used = {0};
        try {
            HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(server.url("/v1/completions"))
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) return new Stream1(sent, chunks, 0, true);
            r.body().forEach(line -> {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) return;
                long at = System.nanoTime();
                JsonNode event = Json.parse(line.substring(6), JsonNode.class);
                JsonNode choices = event.path("choices");
                if (choices.size() > 0 && !choices.get(0).path("text").asText().isEmpty()) chunks.add(at);
                if (event.hasNonNull("usage")) used[0] = event.get("usage").path("completion_tokens").asInt();
            });
            return new Stream1(sent, chunks, used[0], used[0] == 0);
        } catch (IOException e) {
            return new Stream1(sent, chunks, 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Stream1(sent, chunks, 0, true);
        }
    }

    static double percentile(List<Double> values, int p) {
        if (values == null || values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return round2(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
