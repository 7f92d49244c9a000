package io.moxing.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.jobs.JobContext;
import io.moxing.jobs.JobHandler;
import io.moxing.train.JobRunObserver;
import io.moxing.train.RunObserver;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A retraining round as a background job ({@code {"deployment": "cnn-28"}}): the round's moment, production
 * version and fine-tuning run are kept with the job, so a server killed mid-round resumes it on restart
 * (same feedback, same data-set version, the run from its newest checkpoint) and the round is decided once.
 */
public final class RetrainJobHandler implements JobHandler {
    private final Retrainer retrainer;
    private final RetrainingStore store;

    public RetrainJobHandler(Retrainer retrainer, RetrainingStore store) {
        this.retrainer = retrainer;
        this.store = store;
    }

    @Override
    public void validate(JsonNode params) {
        String deployment = deployment(params);
        if (store.policy(deployment).isEmpty()) {
            throw new UserException("unknown_policy", "'" + deployment + "' has no retraining policy; set one with moxing"
                    + " policy set " + deployment);
        }
    }

    @Override
    public Object run(JobContext context) {
        return retrainer.retrain(deployment(context.params()), new JobMemory(context));
    }

    static String deployment(JsonNode params) {
        JsonNode d = params.get("deployment");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            throw new UserException("invalid_field", "field \"deployment\" is required: the deployment to retrain");
        }
        return d.asText();
    }

    /** A round's memory kept with its job: the job's resume reference holds it as JSON. */
    private static final class JobMemory implements RoundMemory {
        private final JobContext context;

        JobMemory(JobContext context) {
            this.context = context;
        }

        public String id() {
            return context.jobId();
        }

        public Map<String, String> recalled() {
            Map<String, String> state = new LinkedHashMap<>();
            if (context.resumeRef() != null) {
                Json.parse(context.resumeRef(), ObjectNode.class).fields()
                        .forEachRemaining(e -> state.put(e.getKey(), e.getValue().asText()));
            }
            return state;
        }

        public void remember(Map<String, String> state) {
            context.remember(Json.line(state));
        }

        public RunObserver observer(Consumer<String> onRun) {
            return new JobRunObserver(context, onRun);
        }

        public PrintStream log() {
            return context.logStream();
        }
    }
}
