package io.moxing.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.eval.EvalResult;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the registry keeps beside a version's card, read for the run and model pages: the evaluation made when it was
 * registered ({@code eval.json}), its provenance, and the version it was fine-tuned from. A name the registry does not
 * know is a 404, as any page that does not exist.
 */
final class VersionFacts {
    private final ModelRegistry registry;

    VersionFacts(ModelRegistry registry) {
        this.registry = registry;
    }

    ModelVersion card(String ref) {
        try {
            return registry.card(ref);
        } catch (UserException e) {
            throw ConsoleError.notFound("model version " + ref);
        }
    }

    Provenance provenance(String ref) {
        Path file = dir(ref).resolve("provenance.json");
        return Files.isRegularFile(file) ? Json.read(file, Provenance.class) : null;
    }

    /** The evaluation on the test split stored with the version; empty for versions registered without one. */
    Optional<EvalResult> evaluation(String ref) {
        Path file = dir(ref).resolve("eval.json");
        return Files.isRegularFile(file) ? Optional.of(Json.read(file, EvalResult.class)) : Optional.empty();
    }

    /** The version a run registered, if it got that far. */
    Optional<ModelVersion> ofRun(String runId) {
        return registry.list().stream().filter(v -> runId.equals(v.runId())).findFirst();
    }

    /**
     * The versions this one started from: the {@code pretrained} reference of its spec's layers (a retraining round
     * fine-tunes every layer of production, so all of them name it); empty for a version trained from scratch.
     */
    static List<String> parents(Provenance provenance) {
        TreeSet<String> refs = new TreeSet<>();
        if (provenance != null && provenance.spec() != null) {
            for (JsonNode layer : provenance.spec().path("layers")) {
                JsonNode from = layer.get("pretrained");
                if (from != null && from.isTextual()) refs.add(from.asText());
            }
        }
        return List.copyOf(refs);
    }

    private Path dir(String ref) {
        try {
            return registry.resolve(ref);
        } catch (UserException e) {
            throw ConsoleError.notFound("model version " + ref);
        }
    }
}
