package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.Caller;
import io.moxing.generate.ChatTemplate;
import io.moxing.http.InferenceCore.EventSink;
import io.moxing.http.InferenceCore.Served;
import io.moxing.http.InferenceCore.StreamedWork;
import io.moxing.http.InferenceCore.Work;
import io.moxing.predict.Predictor;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI's API over Moxing's deployments, so that an unmodified OpenAI client works: GET /v1/models and
 * /v1/models/{id} (what the key may call), POST /v1/chat/completions (messages through the deployment's
 * {@link ChatTemplate}) and POST /v1/completions, whole or streamed as Server-Sent Events. The deployment is
 * the body's "model"; admission, metering and errors are the other routes' ({@link ServingPipeline}).
 */
final class OpenAiRoutes {
    private final LiveDeployments live;
    private final InferenceCore core;
    private final ServingPipeline pipeline;
    /** Null when the server runs open. */
    private final BillingGate gate;

    OpenAiRoutes(LiveDeployments live, InferenceCore core, ServingPipeline pipeline, BillingGate gate) {
        this.live = live;
        this.core = core;
        this.pipeline = pipeline;
        this.gate = gate;
    }

    void register(Javalin app) {
        app.get("/v1/models", ctx -> ModelServer.json(ctx, 200, list(core.caller(ctx.header("Authorization")))));
        app.get("/v1/models/{id}", ctx -> {
            Caller caller = core.caller(ctx.header("Authorization"));
            LiveTarget target = core.target(ctx.pathParam("id"), null, null, caller);
            ModelServer.json(ctx, 200, model(target.target().deployment()));
        });
        app.post("/v1/chat/completions", ctx -> serve(ctx, OpenAiAnswer.Kind.CHAT));
        app.post("/v1/completions", ctx -> serve(ctx, OpenAiAnswer.Kind.TEXT));
    }

    private void serve(Context ctx, OpenAiAnswer.Kind kind) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
                    + (type.isEmpty() ? "" : ", not " + type));
        }
        // the body is parsed once: the pipeline routes on its "model", the work is made from the same tree
        JsonNode[] parsed = new JsonNode[1];
        pipeline.serveNamedInBody(HttpCall.of(ctx), body -> OpenAiRequest.model(parsed[0] = RequestDecoder.json(body)),
                (target, tenant, body) -> work(kind, target, tenant, parsed[0]), ctx::future);
    }

    /** How a body becomes text for a language model: its prompts checked against the context, whole or streamed. */
    private Work work(OpenAiAnswer.Kind kind, LiveTarget target, String tenant, JsonNode body) {
        String name = target.target().deployment();
        if (!target.isLanguageModel()) {
            throw new ApiError(400, "not_a_language_model", "'" + name + "' is a " + target.card().task()
                    + " model and writes no text; use POST /v1/models/" + name + "/predict", "model");
        }
        Predictor predictor = target.predictor();
        OpenAiRequest request;
        List<OpenAiAnswer.Choice> choices = new ArrayList<>();
        List<String> stop;
        if (kind == OpenAiAnswer.Kind.CHAT) {
            request = OpenAiRequest.chat(body);
            ChatTemplate template = live.chatTemplate(name);
            String prompt = template.render(request.messages());
            choices.add(new OpenAiAnswer.Choice(prompt, CompletionRequest.promptIds(predictor, prompt, "messages")));
            LinkedHashSet<String> stops = new LinkedHashSet<>(request.stop());
            stops.addAll(template.stop());
            stop = List.copyOf(stops);
        } else {
            request = OpenAiRequest.completion(body);
            for (String prompt : request.prompts()) {
                choices.add(new OpenAiAnswer.Choice(prompt, CompletionRequest.promptIds(predictor, prompt, "prompt")));
            }
            stop = request.stop();
        }
        OpenAiAnswer answer = new OpenAiAnswer(kind, name, target.card().version(), predictor, request, choices, stop);
        int tokens = choices.stream().mapToInt(c -> c.promptIds().length + request.maxTokens()).sum();
        if (!request.stream()) {
            java.util.concurrent.atomic.AtomicBoolean wanted = new java.util.concurrent.atomic.AtomicBoolean(true);
            return Work.of(1, false, tokens, requestId -> target.write(tenant, () -> answer.whole(requestId, wanted::get)),
                    () -> wanted.set(false));
        }
        return new StreamedWork() {
            public int rows() {
                return 1;
            }

            public int tokens() {
                return tokens;
            }

            public CompletableFuture<Served> start(String requestId, EventSink sink) {
                return target.write(tenant, () -> answer.streamed(requestId, sink));
            }
        };
    }

    /** OpenAI's model list: the deployments the caller's key may call (all of them on an open server). */
    private Map<String, Object> list(Caller caller) {
        List<String> names = caller == null ? new ArrayList<>(new TreeSet<>(live.names()))
                : gate.admission().visibleOf(caller, live.names()).stream().filter(caller.key()::allows).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", names.stream().map(this::model).toList());
        out.put("models", names); // Moxing's listing before it took OpenAI's shape
        return out;
    }

    /** OpenAI's model object for a deployment, with what Moxing knows of it beside. */
    private Map<String, Object> model(String name) {
        List<LiveTarget> targets = live.targets(name);
        LiveTarget first = targets.stream().filter(t -> t.target().alias().equals("production")).findFirst()
                .orElse(targets.isEmpty() ? null : targets.get(0));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", first == null ? 0 : created(first.card().createdAt()));
        String owner = gate == null ? null : gate.admission().owner(name);
        m.put("owned_by", owner == null ? "moxing" : owner);
        if (first != null) {
            m.put("task", first.card().task());
            m.put("versions", targets.stream().map(t -> t.card().version()).toList());
        }
        return m;
    }

    private static long created(String isoInstant) {
        try {
            return Instant.parse(isoInstant).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
