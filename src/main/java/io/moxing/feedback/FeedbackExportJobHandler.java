package io.moxing.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.UserException;
import io.moxing.jobs.JobContext;
import io.moxing.jobs.JobHandler;

/**
 * {@code moxing feedback export} as a background job: {@code {"deployment", "as", "base"?}}. Writing a data-set
 * version is atomic and the same content is the same version, so an interrupted export simply runs again.
 */
public final class FeedbackExportJobHandler implements JobHandler {
    private final FeedbackExport export;

    public FeedbackExportJobHandler(FeedbackExport export) {
        this.export = export;
    }

    @Override
    public void validate(JsonNode params) {
        text(params, "deployment", true);
        text(params, "as", true);
        text(params, "base", false);
    }

    @Override
    public Object run(JobContext context) {
        JsonNode p = context.params();
        FeedbackExport.Exported e = export.export(text(p, "deployment", true), text(p, "as", true), text(p, "base", false));
        context.log("stored " + e.ref() + " with " + e.dataset().added() + " corrected rows");
        return e.summary();
    }

    private static String text(JsonNode params, String field, boolean required) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new UserException("invalid_field", "field \"" + field + "\" is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) throw new UserException("invalid_field", "field \"" + field + "\" must be a name");
        return v.asText();
    }
}
