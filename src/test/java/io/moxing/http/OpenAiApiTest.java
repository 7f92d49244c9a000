package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.billing.UsageQuery;
import io.moxing.billing.UsageTotals;
import io.moxing.core.Json;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-compatible API driven by the official OpenAI Java SDK, unchanged (its base URL pointed at a real
 * server on loopback, a Moxing key as its API key, no retries), against a real tiny language model ("poet"),
 * with the state in a real SQLite file; and the refusals and a dropped stream over raw HTTP.
 */
class OpenAiApiTest {
    @TempDir static Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private static ModelServer server;
    private static BillingAdmin billing;
    private static String base;
    private static SqlDeployments deployments;
    private static Database db;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        db = TestDatabases.fresh("sqlite", tmp);
        var poet = SharedHome.poet();
        ModelRegistry registry = new ModelRegistry(SharedHome.home().models());
        deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 1, 0, 1, registry));
        billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.payPerUse("tokens", "USD", null, new BigDecimal("0.10"), new BigDecimal("0.30"), null));
        billing.createPlan(ADMIN, Plan.free("tiny", 1, 100, 100));
        server = new ModelServer(SharedHome.home(), deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 60_000, 64, 100)
                .withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS), billing).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String tenant(String id, String plan, Double rate) {
        billing.createTenant(ADMIN, id, null, plan, System.currentTimeMillis() - 1000);
        String key = billing.issueKey(ADMIN, id, null, null, rate, rate == null ? null : 5, null, System.currentTimeMillis())
                .plaintext();
        server.reconcile();
        return key;
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey(key).maxRetries(0).build();
    }

    private static UsageTotals usage(String tenant) {
        return billing.ledger().totals(tenant, 0, Long.MAX_VALUE);
    }

    /** The tenant's requests as recorded, charged or not. */
    private static UsageQuery.Row recorded(String tenant) {
        List<UsageQuery.Row> rows = billing.ledger().query(new UsageQuery(tenant, null, null, "tenant", 0, Long.MAX_VALUE));
        return rows.isEmpty() ? new UsageQuery.Row(tenant, 0, 0, 0, 0, 0, 0) : rows.get(0);
    }

    @Test
    void theOfficialClientListsChatsStreamsAndCompletes() {
        String key = tenant("sdk", "tokens", null);
        OpenAIClient openai = client(key);

        List<Model> models = openai.models().list().data();
        assertEquals(List.of("poet"), models.stream().map(Model::id).toList());
        assertEquals("moxing", models.get(0).ownedBy());
        assertEquals("poet", openai.models().retrieve("poet").id());

        ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model("poet").addSystemMessage("写诗")
                .addUserMessage("春").maxCompletionTokens(24).temperature(0.0).seed(7L).build();
        ChatCompletion whole = openai.chat().completions().create(chat);
        String answer = whole.choices().get(0).message().content().orElseThrow();
        var wholeUsage = whole.usage().orElseThrow();
        // the default template: each message on its own line
        assertEquals(tokens("写诗\n春\n"), wholeUsage.promptTokens(), wholeUsage.toString());
        assertTrue(wholeUsage.completionTokens() > 0, wholeUsage.toString());
        assertEquals(wholeUsage.promptTokens() + wholeUsage.completionTokens(), wholeUsage.totalTokens());
        String finish = whole.choices().get(0).finishReason().toString();
        assertTrue(Set.of("stop", "length").contains(finish), finish);
        assertEquals(finish.equals("length"), wholeUsage.completionTokens() == 24, "length means the budget was spent");

        // the same chat streamed: one id, the role first, the content reassembled, finish_reason last, then the usage
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        assertEquals(1, chunks.stream().map(ChatCompletionChunk::id).distinct().count());
        assertEquals(1, chunks.stream().map(ChatCompletionChunk::created).distinct().count());
        assertEquals("assistant", chunks.get(0).choices().get(0).delta().role().orElseThrow().toString());
        StringBuilder streamed = new StringBuilder();
        chunks.stream().filter(c -> !c.choices().isEmpty())
                .forEach(c -> c.choices().get(0).delta().content().ifPresent(streamed::append));
        assertEquals(answer, streamed.toString(), "the streamed greedy answer is the whole one");
        ChatCompletionChunk lastContent = chunks.get(chunks.size() - 2);
        assertEquals(finish, lastContent.choices().get(0).finishReason().orElseThrow().toString());
        for (ChatCompletionChunk c : chunks.subList(0, chunks.size() - 2)) {
            assertTrue(c.choices().get(0).finishReason().isEmpty(), "only the last content chunk finishes");
        }
        ChatCompletionChunk usageChunk = chunks.get(chunks.size() - 1);
        assertTrue(usageChunk.choices().isEmpty());
        assertEquals(wholeUsage.completionTokens(), usageChunk.usage().orElseThrow().completionTokens());
        assertEquals(wholeUsage.promptTokens(), usageChunk.usage().orElseThrow().promptTokens());

        Completion text = openai.completions().create(CompletionCreateParams.builder().model("poet").prompt("春眠")
                .maxTokens(10L).temperature(0.0).echo(true).build());
        assertTrue(text.choices().get(0).text().startsWith("春眠"), "echo shows the prompt first");
        assertEquals(10, text.usage().orElseThrow().completionTokens());
        assertEquals("length", text.choices().get(0).finishReason().toString());

        // the usage records are the usage the client saw, per token
        UsageTotals charged = usage("sdk");
        assertEquals(3, charged.requests());
        assertEquals(2L * wholeUsage.promptTokens() + text.usage().orElseThrow().promptTokens(), charged.tokensIn());
        assertEquals(2L * wholeUsage.completionTokens() + 10, charged.tokensOut());
    }

    @Test
    void aKeysRateCanCountTokensAndItsRefusalNamesThem() throws Exception {
        billing.createTenant(ADMIN, "metered-tokens", null, "tokens", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(ADMIN, "metered-tokens", null, null, 10.0, 100, io.moxing.billing.RateUnit.TOKENS,
                null, System.currentTimeMillis()).plaintext();
        server.reconcile();
        String ask = "{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": 60, \"temperature\": 0}";
        HttpResponse<String> first = post("/v1/completions", key, ask);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("100", first.headers().firstValue("x-ratelimit-limit-tokens").orElse(null), first.headers().map().toString());
        long left = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertTrue(left <= 100 - 61 + 5, "the prompt and the answer were taken from the bucket: " + left);
        HttpResponse<String> second = post("/v1/completions", key, ask);
        assertRefused(second, 429, "rate_limited", null);
        assertTrue(second.body().contains("tokens/s"), second.body());
        HttpResponse<String> huge = post("/v1/completions", key, ask.replace("60", "500"));
        assertRefused(huge, 400, "request_over_burst", null);
        assertTrue(huge.body().contains("max_tokens"), huge.body());
    }

    @Test
    void aBadKeyAndASpentQuotaRaiseTheClientsOwnExceptions() throws Exception {
        ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model("poet").addUserMessage("春")
                .maxCompletionTokens(2).build();
        assertThrows(UnauthorizedException.class, () -> client("mx_live_nothing_here").chat().completions().create(chat));
        String quota = tenant("once", "tiny", null);
        assertNotNull(client(quota).chat().completions().create(chat));
        RateLimitException spent = assertThrows(RateLimitException.class, () -> client(quota).chat().completions().create(chat));
        assertTrue(spent.getMessage().contains("quota"), spent.getMessage());

        // a key with a rate says where it stands in OpenAI's headers
        String rated = tenant("rated", "tokens", 2.0);
        HttpResponse<String> r = post("/v1/chat/completions", rated, chatBody("\"max_tokens\": 2"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("5", r.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("4", r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertTrue(r.headers().firstValue("x-ratelimit-reset-requests").orElseThrow().matches("\\d+(\\.\\d+)?m?s"));
    }

    @Test
    void badInputAnswersAnOpenAiShaped4xxAndStrangeCharactersDoNot() throws Exception {
        String key = tenant("careless", "tokens", null);
        assertRefused(post("/v1/chat/completions", key, "{\"model\": \"nobody\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"),
                404, "unknown_model", null);
        assertRefused(post("/v1/chat/completions", key, "{\"model\": \"poet\", \"messages\": []}"), 400, "invalid_field", "messages");
        assertRefused(post("/v1/chat/completions", key, "{\"model\": \"poet\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}"),
                400, "invalid_role", "messages[0].role");
        assertRefused(post("/v1/chat/completions", key, chatBody("\"max_tokens\": 0")), 400, "invalid_field", "max_tokens");
        assertRefused(post("/v1/chat/completions", key, chatBody("\"max_completion_tokens\": 1000000")), 400, "invalid_field",
                "max_completion_tokens");
        assertRefused(post("/v1/chat/completions", key, chatBody("\"n\": 2")), 400, "unsupported_value", "n");
        assertRefused(post("/v1/completions", key, "{\"model\": \"poet\", \"prompt\": \"春\", \"best_of\": 100}"), 400,
                "unsupported_value", "best_of");
        assertRefused(post("/v1/chat/completions", key, chatBody("\"logit_bias\": {\"50256\": -100}")), 400,
                "unsupported_parameter", "logit_bias");
        assertRefused(post("/v1/completions", key, "{\"model\": \"poet\", \"prompt\": \"春\", \"suffix\": \"眠\"}"), 400,
                "unsupported_parameter", "suffix");
        assertRefused(post("/v1/chat/completions", key, chatBody("\"presence_penalty\": 1e9")), 400, "invalid_field",
                "presence_penalty");
        assertRefused(post("/v1/chat/completions", key, "{\"model\": \"poet\", \"messages\": ["), 400, "invalid_json", null);
        assertRefused(post("/v1/completions", key, "{\"model\": \"poet\", \"prompt\": \"" + "春".repeat(2000) + "\"}"), 400,
                "context_length_exceeded", "prompt");
        assertRefused(post("/v1/completions", key, "{\"prompt\": \"春\"}"), 400, "missing_field", "model");
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(""))).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(form, 415, "unsupported_media_type", null);
        assertRefused(post("/v1/chat/completions", null, chatBody("")), 401, "missing_api_key", null);
        assertEquals(0, usage("careless").requests(), "no refusal is charged");

        // a character the model never saw is read as its unknown token, not refused
        HttpResponse<String> odd = post("/v1/completions", key, "{\"model\": \"poet\", \"prompt\": \"春\u2603\", \"max_tokens\": 3}");
        assertEquals(200, odd.statusCode(), odd.body());
        assertEquals(2, Json.MAPPER.readTree(odd.body()).at("/usage/prompt_tokens").asInt());
    }

    @Test
    void aStreamTheClientDropsIsChargedForTheTokensItWasSentAndDisturbsNoOne() throws Exception {
        String key = tenant("leaver", "tokens", null);
        int events = 0;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            askForStream(socket, key, 2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (events < 3 && (line = in.readLine()) != null) {
                if (line.startsWith("data: {")) events++;
            }
        } // the client leaves after three chunks
        assertEquals(3, events);
        // the others are served meanwhile
        HttpResponse<String> other = post("/v1/completions", tenant("stayer", "tokens", null),
                "{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": 4}");
        assertEquals(200, other.statusCode(), other.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (usage("leaver").requests() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        UsageTotals charged = usage("leaver");
        assertEquals(1, charged.requests(), "the stream is recorded when it ends");
        assertEquals(1, charged.tokensIn());
        // three chunks read, perhaps a few more in the socket's buffers when it closed; never the 2,000 asked for
        assertTrue(charged.tokensOut() >= 3 && charged.tokensOut() < 50, "charged for what was sent: " + charged.tokensOut());
    }

    /**
     * A client that asks for a long text and stops reading has its text cut soon after its connection's buffers are
     * full, which the stream keeps small (the kernel's own choice took a whole 2,000-token text): when it reads again
     * it gets what was written for it and an end that says the text was cut, not {@code [DONE]}, and it is charged
     * the tokens that end names.
     */
    @Test
    void aClientThatStopsReadingIsCutSoonAndToldSo() throws Exception {
        String key = tenant("sleeper", "tokens", null);
        // how fast poet writes here, so that the silent client waits long enough for the text to outrun its buffers
        long started = System.nanoTime();
        HttpResponse<String> timed = post("/v1/completions", key,
                "{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": 300, \"temperature\": 0}");
        assertEquals(200, timed.statusCode(), timed.body());
        int written = Json.MAPPER.readTree(timed.body()).at("/usage/completion_tokens").asInt();
        double tokensPerSecond = written / ((System.nanoTime() - started) / 1e9);
        long silentMs = (long) Math.min(20_000, Math.max(1_000, 1_500 / tokensPerSecond * 1e3));
        String end;
        try (Socket socket = silentStream(key, 2000)) {
            Thread.sleep(silentMs);
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            end = streamEnd(in);
        }
        assertNotNull(end, "the stream ended");
        assertTrue(end.contains("client_too_slow"), "the end says the text was cut: " + end);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (usage("sleeper").requests() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
        UsageTotals charged = usage("sleeper");
        assertEquals(2, charged.requests(), "the cut stream is recorded");
        long silentTokens = charged.tokensOut() - written;
        // 16 KB asked for (32 KB in the kernel's count), the client's 4 KB and the output's own buffer (~250 events),
        // then what the model wrote in the second before the stream was taken as stalled
        double most = Math.min(1_500, 250 + 1.5 * tokensPerSecond);
        assertEquals(tokensNamed(end), silentTokens, "charged what it was sent, all that was written for it");
        assertTrue(silentTokens < most, "charged " + silentTokens + " tokens (at most " + Math.round(most) + ") after "
                + silentMs + " ms of a client that read nothing, poet writing " + Math.round(tokensPerSecond) + " tokens/s");
    }

    /**
     * A client that closed its connection before its text began is not charged for a token it never saw: TCP takes
     * the first write into a closed connection without complaint (the refusal comes back after it), so the answer's
     * headers go out as the work begins, and the first token finds the connection refused.
     */
    @Test
    void aClientGoneBeforeItsTextBeganIsNotCharged() throws Exception {
        String key = tenant("early", "tokens", null);
        // closed (an orderly close, not a reset) as soon as the request is out, long before the model starts
        silentStream(key, 50).close();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (recorded("early").requests() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        UsageQuery.Row row = recorded("early");
        assertEquals(1, row.requests(), "the stream is recorded: " + row);
        assertEquals(0, row.charged(), "not charged: " + row);
    }

    /** A key revoked while its text is written stops the text too, not only its next requests. */
    @Test
    void aKeyRevokedWhileItsTextIsWrittenStopsIt() throws Exception {
        String key = tenant("revoked", "tokens", null);
        String end;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            askForStream(socket, key, 2000);
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.startsWith("data: {"));
            // revoked as `moxing keys revoke` does it: through its own connection to the same database
            SqlBilling.open(db).revokeKey(ADMIN, io.moxing.billing.Secrets.keyId(key), System.currentTimeMillis());
            end = streamEnd(in);
        }
        assertNotNull(end, "the stream ended");
        assertTrue(end.contains("invalid_api_key"), "the end says why: " + end);
        long sent = tokensNamed(end);
        assertTrue(sent < 2000, "stopped before its end: " + sent);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (usage("revoked").requests() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(sent, usage("revoked").tokensOut(), "charged what was sent");
        assertEquals(401, post("/v1/completions", key, "{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": 3}").statusCode());
    }

    /** Open streams hold no thread each: forty queued or silent streams leave the server's thread count as it was. */
    @Test
    void streamsWaitingForTheirClientsOrTheirTurnHoldNoThreads() throws Exception {
        String key = tenant("crowd", "tokens", null);
        int before = Thread.activeCount();
        List<Socket> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) crowd.add(silentStream(key, 2000));
            Thread.sleep(1_000);
            int during = Thread.activeCount();
            assertTrue(during - before < 20, "40 open streams: " + before + " threads before, " + during + " during");
        } finally {
            for (Socket s : crowd) s.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (recorded("crowd").requests() < 40 && System.nanoTime() < deadline) Thread.sleep(50);
        // charged or not: those still waiting for a writer when their clients left are not
        assertEquals(40, recorded("crowd").requests(), "every stream ended once its client left");
    }

    /** Reads a stream to its last event, {@code data: [DONE]} or an error; null when the connection ended first. */
    private static String streamEnd(BufferedReader in) throws java.io.IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.startsWith("data: [DONE]") && !line.contains("\"error\""));
        return line;
    }

    /** The N of a cut stream's end, "the text was cut after N tokens". */
    private static long tokensNamed(String end) {
        var cutAt = java.util.regex.Pattern.compile("cut after (\\d+) tokens").matcher(end);
        assertTrue(cutAt.find(), end);
        return Long.parseLong(cutAt.group(1));
    }

    /** Asks for a streamed completion over a socket whose receive buffer is small, and reads nothing. */
    private static Socket silentStream(String key, int maxTokens) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        askForStream(socket, key, maxTokens);
        return socket;
    }

    /** Writes a streamed completion's request to {@code socket}, over raw HTTP/1.1. */
    private static void askForStream(Socket socket, String key, int maxTokens) throws java.io.IOException {
        byte[] body = ("{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": " + maxTokens
                + ", \"temperature\": 0, \"stream\": true}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    @Test
    void aDeploymentsChatTemplateShapesThePromptAndStopsTheAnswer() throws Exception {
        String key = tenant("templated", "tokens", null);
        deployments.setChatTemplate("poet", "{\"format_version\": 1, \"system\": \"{content}\", \"user\": \"《{content}》\","
                + " \"assistant\": \"{content}\", \"generation_prompt\": \"\\n\", \"stop\": [\"\\n\"]}");
        server.reconcile();
        try {
            JsonNode answer = Json.MAPPER.readTree(post("/v1/chat/completions", key, chatBody("\"max_tokens\": 40, \"temperature\": 0"))
                    .body());
            assertEquals(tokens("《春》\n"), answer.at("/usage/prompt_tokens").asInt(), answer.toString());
            String content = answer.at("/choices/0/message/content").asText();
            assertFalse(content.contains("\n"), "the answer ends before the template's stop: " + content);
        } finally {
            deployments.setChatTemplate("poet", null);
            server.reconcile();
        }
    }

    /** How many tokens poet's own tokenizer makes of a text. */
    private static int tokens(String text) {
        var poet = SharedHome.poet();
        Path dir = new ModelRegistry(SharedHome.home().models()).resolve(poet.model() + ":" + poet.version());
        return io.moxing.text.Tokenizer.load(dir.resolve(io.moxing.registry.ModelVersion.TOKENIZER_FILE)).encode(text).length;
    }

    private static String chatBody(String extra) {
        return "{\"model\": \"poet\", \"messages\": [{\"role\": \"user\", \"content\": \"春\"}]" + (extra.isEmpty() ? "" : ", " + extra)
                + "}";
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code, String param) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        assertTrue(error.get("type").isTextual(), r.body());
        assertTrue(error.has("param"), r.body());
        if (param != null) assertEquals(param, error.get("param").asText(), r.body());
    }
}
