package io.moxing.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.console.view.TenantViews;
import io.moxing.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The tenant's playground: an image sent to a classifier (and its explanation), a prompt sent to a language model
 * whose answer streams back. The console does not run models itself: it calls this server's own API over loopback
 * with the tenant's console key ({@link ConsoleKeys}), so each call is authorised, limited and metered exactly like a
 * call from the tenant's code, and the page's scripts never hold a key.
 */
final class Playground {
    static final String PATH = "/console/tenant/playground";
    /** The most tokens a playground answer may write. */
    static final int MAX_TOKENS = 200;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TenantModels models;
    private final ConsoleKeys keys;
    private final Supplier<String> baseUrl;
    private final Pages pages;

    Playground(TenantModels models, ConsoleKeys keys, Supplier<String> baseUrl, Pages pages) {
        this.models = models;
        this.keys = keys;
        this.baseUrl = baseUrl;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, ctx -> {
            var callable = models.of(Pages.tenant(ctx));
            pages.render(ctx, "tenant/playground.jte", new TenantViews.Playground(pages.frame(ctx, "Playground"),
                    callable.stream().filter(TenantModels.Callable::imageClassifier).map(TenantModels.Callable::name).toList(),
                    callable.stream().filter(TenantModels.Callable::languageModel).map(TenantModels.Callable::name).toList()));
        });
        app.post(PATH + "/{model}/predict", ctx -> image(ctx, "predict"));
        app.post(PATH + "/{model}/explain", ctx -> image(ctx, "explain"));
        app.post(PATH + "/{model}/chat", this::chat);
    }

    /** The uploaded form (its image field) passed on as it came; the API's answer passed back as it is. */
    private void image(Context ctx, String route) throws IOException, InterruptedException {
        TenantModels.Callable model = model(ctx);
        if (!model.imageClassifier()) throw new ConsoleError(400, "not_an_image_model", model.name() + " does not classify images");
        String type = ctx.contentType();
        if (type == null || !type.startsWith("multipart/form-data")) {
            throw new ConsoleError(400, "invalid_body", "send the image as a multipart form with the field \"image\"");
        }
        HttpResponse<byte[]> answer = http.send(call(ctx, "/v1/models/" + model.name() + "/" + route, type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
        ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
    }

    /** {"prompt"} as one user message to OpenAI's chat completions, streamed; the events are relayed as they come. */
    private void chat(Context ctx) throws IOException, InterruptedException {
        TenantModels.Callable model = model(ctx);
        if (!model.languageModel()) throw new ConsoleError(400, "not_a_language_model", model.name() + " does not write text");
        String prompt = prompt(ctx.bodyAsBytes());
        if (prompt.isBlank()) throw new ConsoleError(400, "missing_field", "type a prompt first");
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model.name()).put("max_tokens", MAX_TOKENS).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        HttpResponse<InputStream> answer = http.send(call(ctx, "/v1/chat/completions", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.line(body))).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            if (answer.statusCode() != 200) {
                ctx.status(answer.statusCode()).contentType("application/json").result(in.readAllBytes());
                return;
            }
            // written straight to the servlet's stream, flushed per read: each token reaches the page as it is written
            ctx.status(200).contentType("text/event-stream; charset=utf-8");
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static String prompt(byte[] body) {
        try {
            JsonNode asked = Json.MAPPER.readTree(body);
            return asked == null ? "" : asked.path("prompt").asText("");
        } catch (IOException e) {
            throw new ConsoleError(400, "invalid_json", "send {\"prompt\": \"...\"}");
        }
    }

    private HttpRequest.Builder call(Context ctx, String path, String contentType) {
        String secret = keys.secret(Pages.tenant(ctx), Pages.actor(ctx));
        return HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + secret).header("Content-Type", contentType);
    }

    /** The deployment the path names, if the tenant may call it: another tenant's is "not found", as in the API. */
    private TenantModels.Callable model(Context ctx) {
        return models.find(Pages.tenant(ctx), ctx.pathParam("model"))
                .orElseThrow(() -> ConsoleError.notFound("model " + ctx.pathParam("model")));
    }
}
