package io.moxing.feedback;

import io.moxing.core.Echo;
import io.moxing.core.UserException;
import io.moxing.privacy.PiiRedactor;
import io.moxing.serve.PredictionId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Takes users' feedback on predicted rows. A prediction is only ever known to the tenant that made it:
 * another tenant's id, an id that never existed and a row past the request's end are all answered the
 * same "unknown prediction", so feedback cannot probe for other tenants' traffic. Comments are redacted
 * of PII before they are sealed and stored.
 */
public final class FeedbackBook {
    public static final int MAX_COMMENT_CHARS = 2000;
    private final FeedbackStore store;
    private final FeedbackSeal seal;
    private final PiiRedactor redactor = new PiiRedactor();
    /** The class names of a model version ("MODEL:VERSION"), empty for regression and language models. */
    private final Function<String, List<String>> classesOf;

    public FeedbackBook(FeedbackStore store, FeedbackSeal seal, Function<String, List<String>> classesOf) {
        this.store = store;
        this.seal = seal;
        this.classesOf = classesOf;
    }

    /** What a user sends: the row's id and at least one of a label, a rating and a comment. */
    public record Given(String predictionId, String label, Integer rating, String comment) {}

    /** Stores the feedback of {@code tenant}; a {@link UserException} names what is wrong. */
    public Feedback give(String tenant, Given given) {
        return give(tenant, deployment -> true, given);
    }

    /** As {@link #give(String, Given)}, for a key that may only use the deployments {@code mayUse} accepts. */
    public Feedback give(String tenant, java.util.function.Predicate<String> mayUse, Given given) {
        if (given.predictionId() == null || given.predictionId().isBlank()) {
            throw new UserException("missing_field", "field 'prediction_id' is required: the id of one predicted row, as"
                    + " answered in predictions[i].id (REQUEST.ROW)");
        }
        PredictionId id = PredictionId.parse(given.predictionId()).orElseThrow(() -> new UserException(
                "invalid_prediction_id", "field 'prediction_id' must be REQUEST.ROW, as answered in predictions[i].id"));
        if (given.label() == null && given.rating() == null && given.comment() == null) {
            throw new UserException("missing_field", "give at least one of 'label' (the correct class), 'rating' (1 to 5)"
                    + " or 'comment'");
        }
        if (given.rating() != null && (given.rating() < 1 || given.rating() > 5)) {
            throw new UserException("invalid_field", "field 'rating' must be an integer from 1 to 5");
        }
        if (given.comment() != null && given.comment().length() > MAX_COMMENT_CHARS) {
            throw new UserException("invalid_field", "field 'comment' holds " + given.comment().length()
                    + " characters; at most " + MAX_COMMENT_CHARS);
        }
        PredictedRequest request = owned(tenant, mayUse, id);
        String label = given.label();
        if (label != null) {
            List<String> classes = classesOf.apply(request.model() + ":" + request.version());
            if (!classes.isEmpty() && !classes.contains(label)) {
                throw new UserException("invalid_field", "field 'label' is '" + Echo.of(label) + "', which is not a class of this"
                        + " model; its classes are " + classes);
            }
        }
        String comment = given.comment() == null ? null : redactor.redact(given.comment()).text();
        Feedback f = new Feedback(UUID.randomUUID().toString(), id.toString(), tenant, request.deployment(), request.model(),
                request.version(), label, given.rating(), comment, System.currentTimeMillis());
        store.add(seal.seal(f, id.request()));
        return f;
    }

    /** The tenant's own feedback item; another tenant's answers as one that does not exist. */
    public Optional<Feedback> find(String tenant, String feedbackId) {
        return store.feedback(feedbackId).filter(r -> tenant == null || r.tenant().equals(tenant)).map(seal::open);
    }

    public List<Feedback> list(String deployment, String tenant, long fromMs, long toMs, int limit) {
        return store.feedback(deployment, tenant, fromMs, toMs, limit).stream().map(seal::open).toList();
    }

    /** A deployment's newest feedback, newest first, opened as {@code moxing feedback show} shows it (no logged input). */
    public List<Feedback> latest(String deployment, int limit) {
        return store.latest(deployment, limit).stream().map(seal::open).toList();
    }

    private PredictedRequest owned(String tenant, java.util.function.Predicate<String> mayUse, PredictionId id) {
        Optional<PredictedRequest> request = store.predicted(id.request())
                .filter(r -> r.tenant().equals(tenant) && id.row() < r.rows() && mayUse.test(r.deployment()));
        return request.orElseThrow(() -> new UserException("unknown_prediction", "no prediction '" + id
                + "' was made with this tenant's keys; use an id from predictions[i].id of one of your answers"));
    }
}
