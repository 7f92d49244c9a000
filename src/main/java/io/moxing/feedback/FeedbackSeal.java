package io.moxing.feedback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.privacy.RecordCipher;
import java.nio.charset.StandardCharsets;

/**
 * Seals and opens the closed loop's records. The associated data names each record's table and row, so a
 * record copied into another row (another tenant's, say) does not open there.
 */
public final class FeedbackSeal {
    private final java.util.function.Supplier<RecordCipher> cipherSource;
    private volatile RecordCipher cipher;

    public FeedbackSeal(RecordCipher cipher) {
        this(() -> cipher);
    }

    private FeedbackSeal(java.util.function.Supplier<RecordCipher> cipherSource) {
        this.cipherSource = cipherSource;
    }

    /** Seals with the data key of {@code home}, which is made on first use (not when a server starts). */
    public static FeedbackSeal of(io.moxing.core.MoxingHome home) {
        return new FeedbackSeal(() -> new RecordCipher(io.moxing.privacy.DataKey.of(home)));
    }

    private RecordCipher cipher() {
        RecordCipher c = cipher;
        if (c == null) {
            synchronized (this) {
                if (cipher == null) cipher = cipherSource.get();
                c = cipher;
            }
        }
        return c;
    }

    public byte[] sealLog(String requestId, LoggedContent content) {
        return cipher().seal(content.encode(), place("prediction_log", requestId));
    }

    public LoggedContent openLog(LoggedRequest logged) {
        return LoggedContent.decode(cipher().open(logged.sealed(), place("prediction_log", logged.requestId())));
    }

    public FeedbackRow seal(Feedback f, String requestId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (f.label() != null) body.put("label", f.label());
        if (f.rating() != null) body.put("rating", f.rating());
        if (f.comment() != null) body.put("comment", f.comment());
        byte[] sealed = cipher().seal(body.toString().getBytes(StandardCharsets.UTF_8), place("feedback", f.id()));
        return new FeedbackRow(f.id(), f.predictionId(), requestId, f.tenant(), f.deployment(), f.model(), f.version(),
                f.hasLabel(), f.atMs(), sealed);
    }

    public Feedback open(FeedbackRow row) {
        var body = Json.parse(new String(cipher().open(row.sealed(), place("feedback", row.id())), StandardCharsets.UTF_8),
                com.fasterxml.jackson.databind.JsonNode.class);
        return new Feedback(row.id(), row.predictionId(), row.tenant(), row.deployment(), row.model(), row.version(),
                body.hasNonNull("label") ? body.get("label").asText() : null,
                body.hasNonNull("rating") ? body.get("rating").asInt() : null,
                body.hasNonNull("comment") ? body.get("comment").asText() : null, row.atMs());
    }

    private static byte[] place(String table, String id) {
        return (table + "/" + id).getBytes(StandardCharsets.UTF_8);
    }
}
