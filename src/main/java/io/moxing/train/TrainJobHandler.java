package io.moxing.train;

import static io.moxing.core.JsonFields.integer;
import static io.moxing.core.JsonFields.number;
import static io.moxing.core.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.jobs.JobContext;
import io.moxing.jobs.JobHandler;
import io.moxing.model.ModelSpec;
import io.moxing.model.Templates;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training as a background job, through the same {@link TrainingJob} as {@code moxing train}. Params:
 * {@code spec} (a template name, a spec file's path, or the spec itself as an object), and optionally
 * {@code data}, {@code name}, {@code epochs}, {@code limit}, {@code batch_size}, {@code lr}, {@code seed}.
 * The run's id is remembered as soon as the run exists; after an interruption the run resumes from its
 * newest checkpoint, and a run that had already registered its model only reports that version.
 */
public final class TrainJobHandler implements JobHandler {
    private final MoxingHome home;

    public TrainJobHandler(MoxingHome home) {
        this.home = home;
    }

    @Override
    public void validate(JsonNode params) {
        spec(params);
        options(params);
    }

    @Override
    public Object run(JobContext context) {
        TrainingJob trainer = new TrainingJob(home, context.logStream(), false, new JobRunObserver(context, context::remember));
        String runId = context.resumeRef();
        if (runId == null) {
            return trainer.start(spec(context.params()), options(context.params()));
        }
        Optional<ModelVersion> registered = registeredBy(runId);
        if (registered.isPresent()) {
            // interrupted after the model was registered: training or registering again would make a second version
            context.log("run " + runId + " had already registered " + registered.get().ref() + "; nothing to redo");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("run_id", runId);
            result.put("model", registered.get().name());
            result.put("version", registered.get().version());
            result.putAll(registered.get().metrics());
            return result;
        }
        return trainer.resume(runId);
    }

    /** The version the run registered, if it got that far. */
    private Optional<ModelVersion> registeredBy(String runId) {
        RunRecord record = RunDirectory.existing(home.runs(), runId).read();
        return new ModelRegistry(home.models()).list().stream()
                .filter(v -> v.name().equals(record.model()) && runId.equals(v.runId())).findFirst();
    }

    private static ModelSpec spec(JsonNode params) {
        JsonNode spec = params.get("spec");
        ModelSpec base;
        if (spec != null && spec.isObject()) {
            base = ModelSpec.parse(Json.line(spec), "params.spec");
        } else {
            String name = text(params, "spec", true);
            base = Templates.resolve(name);
        }
        Double lr = number(params, "lr");
        if (lr != null && !(lr > 0)) throw new UserException("invalid_field", "field \"lr\" must be positive, e.g. 0.001");
        Integer seed = integer(params, "seed");
        return base.withOverrides(positive(params, "epochs"), positive(params, "batch_size"), lr,
                seed == null ? null : seed.longValue());
    }

    private static TrainOptions options(JsonNode params) {
        return new TrainOptions(text(params, "data", false), text(params, "name", false), positive(params, "limit"), true);
    }

    private static Integer positive(JsonNode params, String field) {
        Integer value = integer(params, field);
        if (value != null && value <= 0) {
            throw new UserException("invalid_field", "field \"" + field + "\" must be a positive integer, not " + value);
        }
        return value;
    }
}
