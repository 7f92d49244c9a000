package io.moxing.eval;

import static io.moxing.core.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.jobs.JobContext;
import io.moxing.jobs.JobHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation as a background job, as {@code moxing eval} does it. Params: {@code model} (MODEL or
 * MODEL:VERSION), {@code data} (NAME or NAME:VERSION) and optionally {@code split} (test by default).
 * It keeps nothing but a report, so after an interruption it simply runs again.
 */
public final class EvaluateJobHandler implements JobHandler {
    private static final List<String> SPLITS = List.of("train", "validation", "test");
    private final MoxingHome home;

    public EvaluateJobHandler(MoxingHome home) {
        this.home = home;
    }

    @Override
    public void validate(JsonNode params) {
        text(params, "model", true);
        text(params, "data", true);
        split(params);
    }

    @Override
    public Object run(JobContext context) {
        JsonNode p = context.params();
        context.progress(0, "evaluating");
        ModelEvaluation.Outcome o = new ModelEvaluation(home).run(text(p, "model", true), text(p, "data", true), split(p));
        context.log("evaluated " + o.model() + " on " + o.dataset() + "; report " + o.report());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", o.model());
        result.put("dataset", o.dataset());
        result.put("report", o.report().toString());
        result.put("eval", o.result());
        return result;
    }

    private static String split(JsonNode params) {
        String split = text(params, "split", false);
        if (split == null) return "test";
        if (!SPLITS.contains(split)) {
            throw new UserException("invalid_field", "field \"split\" must be one of " + SPLITS + ", not '" + split + "'");
        }
        return split;
    }
}
