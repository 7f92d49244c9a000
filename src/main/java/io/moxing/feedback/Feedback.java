package io.moxing.feedback;

/**
 * What a user said about one predicted row: the correct label, a rating from 1 to 5, a comment (redacted
 * of PII before it was stored), or several of them.
 *
 * @param label   the correct class name (classifiers) or value; null when not given
 * @param rating  1 to 5; null when not given
 * @param comment free text, PII-redacted; null when not given
 */
public record Feedback(String id, String predictionId, String tenant, String deployment, String model, int version,
                       String label, Integer rating, String comment, long atMs) {
    public boolean hasLabel() {
        return label != null;
    }

    /** As the API and the CLI show it: {@code model} is the deployment, what was not given is left out. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("prediction_id", predictionId);
        m.put("tenant", tenant);
        m.put("model", deployment);
        m.put("model_version", model + ":" + version);
        if (label != null) m.put("label", label);
        if (rating != null) m.put("rating", rating);
        if (comment != null) m.put("comment", comment);
        m.put("created_at", java.time.Instant.ofEpochMilli(atMs).toString());
        return m;
    }
}
