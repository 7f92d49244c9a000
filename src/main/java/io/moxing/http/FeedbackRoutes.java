package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.feedback.Feedback;
import io.moxing.feedback.FeedbackBook;
import java.util.Map;

/**
 * Feedback from a tenant's users on single predicted rows ({@code POST /v1/feedback}), a tenant's own
 * feedback, and every tenant's under {@code /admin/feedback}. Giving feedback takes a rate-limit token
 * like any request (a flood of feedback is still a flood) but is never charged: its quota is given back.
 */
final class FeedbackRoutes {
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private final BillingGate gate;
    private final FeedbackBook book;

    FeedbackRoutes(BillingGate gate, FeedbackBook book) {
        this.gate = gate;
        this.book = book;
    }

    void register(Javalin app) {
        app.post("/v1/feedback", this::give);
        app.get("/v1/feedback", ctx -> {
            Caller c = admitted(ctx);
            ModelServer.json(ctx, 200, Map.of("feedback", book.list(ctx.queryParam("model"), c.tenant().id(), 0, Long.MAX_VALUE,
                    limit(ctx)).stream().filter(f -> c.key().allows(f.deployment())).map(Feedback::describe).toList()));
        });
        app.get("/v1/feedback/{id}", ctx -> {
            Caller c = admitted(ctx);
            ModelServer.json(ctx, 200, book.find(c.tenant().id(), ctx.pathParam("id")).filter(f -> c.key().allows(f.deployment()))
                    .orElseThrow(FeedbackRoutes::unknown).describe());
        });
        app.get("/admin/feedback", ctx -> ModelServer.json(ctx, 200, Map.of("feedback", book.list(ctx.queryParam("model"),
                ctx.queryParam("tenant"), 0, Long.MAX_VALUE, limit(ctx)).stream().map(Feedback::describe).toList())));
        app.get("/admin/feedback/{id}", ctx -> ModelServer.json(ctx, 200,
                book.find(null, ctx.pathParam("id")).orElseThrow(FeedbackRoutes::unknown).describe()));
    }

    /** The caller, having paid a rate-limit token: feedback and its listing are never charged, never free of limits. */
    private Caller admitted(Context ctx) {
        Caller caller = gate.caller(ctx.header("Authorization"));
        Admission.Ticket ticket = gate.admit(caller);
        gate.release(ticket);
        return caller;
    }

    private void give(Context ctx) {
        Caller caller = admitted(ctx);
        JsonNode body = RequestDecoder.json(BodyReader.readBlocking(ctx.req(), MAX_BODY_BYTES));
        if (!body.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object");
        // a key limited to some models may not speak of the others' predictions: they answer as unknown
        Feedback f = book.give(caller.tenant().id(), caller.key()::allows, new FeedbackBook.Given(text(body, "prediction_id"), text(body, "label"),
                rating(body), text(body, "comment")));
        ModelServer.json(ctx, 201, f.describe());
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new ApiError(400, "invalid_field", "field '" + field + "' must be a string");
        return v.asText();
    }

    private static Integer rating(JsonNode body) {
        JsonNode v = body.get("rating");
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ApiError(400, "invalid_field", "field 'rating' must be an integer from 1 to 5");
        }
        return v.asInt();
    }

    private static int limit(Context ctx) {
        return LimitParameter.of(ctx, 100, 10_000);
    }

    private static ApiError unknown() {
        return new ApiError(404, "unknown_feedback", "no such feedback item among this tenant's");
    }
}
