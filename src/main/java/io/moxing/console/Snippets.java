package io.moxing.console;

/**
 * A copy-paste {@code curl} call for a deployment, shaped by what it serves: an image upload for an image classifier,
 * a chat for a language model, a text for an encoder, a row of numbers for the rest. The key is left as
 * {@code $MOXING_KEY}: the console never shows a key after the moment it is made.
 */
final class Snippets {
    private Snippets() {}

    static String curl(String baseUrl, TenantModels.Callable model) {
        String auth = "curl -H \"Authorization: Bearer $MOXING_KEY\" ";
        String name = model.name();
        if (model.languageModel()) {
            return auth + "-H 'Content-Type: application/json' \\\n  -d '{\"model\": \"" + name
                    + "\", \"messages\": [{\"role\": \"user\", \"content\": \"春\"}], \"max_tokens\": 40}' \\\n  "
                    + baseUrl + "/v1/chat/completions";
        }
        if (model.card().encoder() != null) {
            return auth + "-H 'Content-Type: application/json' \\\n  -d '{\"model\": \"" + name
                    + "\", \"input\": \"a sentence to embed\"}' \\\n  " + baseUrl + "/v1/embeddings";
        }
        if ("image".equals(model.card().dataKind())) {
            return auth + "-F image=@photo.png \\\n  " + baseUrl + "/v1/models/" + name + "/predict";
        }
        int width = model.card().inputShape() == null || model.card().inputShape().isEmpty() ? 1
                : model.card().inputShape().stream().reduce(1, (a, b) -> a * b);
        return auth + "-H 'Content-Type: application/json' \\\n  -d '{\"inputs\": [[" + String.join(", ",
                java.util.Collections.nCopies(Math.min(width, 8), "0")) + (width > 8 ? ", …" : "") + "]]}' \\\n  "
                + baseUrl + "/v1/models/" + name + "/predict";
    }

    /** What the deployment answers, in a word or three. */
    static String kind(TenantModels.Callable model) {
        if (model.languageModel()) return "language model";
        if (model.card().encoder() != null) return "sentence embeddings";
        if (model.imageClassifier()) return "image classes";
        return model.card().task() == null ? "" : model.card().task().wireName();
    }
}
