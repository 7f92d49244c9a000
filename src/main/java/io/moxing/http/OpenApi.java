package io.moxing.http;

import io.moxing.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3 description of every route, served at {@code GET /openapi.json}. */
final class OpenApi {
    private static final String ERROR = "#/components/schemas/Error";

    private OpenApi() {}

    static String document() {
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/v1/models/{name}/predict", Map.of("post", op("Predict with a deployed model: JSON rows"
                + " ({\"inputs\": [[...]]}), a base64 image ({\"image\": ...}) or a multipart upload (field image).",
                List.of(param("name"), query("alias")), true)));
        paths.put("/v1/models/{name}/explain", Map.of("post", op("Explain a prediction: an occlusion-sensitivity map"
                + " (numbers and a base64 PNG) for an image model, per-feature attributions for a row model. Same input as predict.",
                List.of(param("name")), true)));
        paths.put("/v1/models/{id}", Map.of("get", op("OpenAI's model object of one deployment this key may call.",
                List.of(param("id")), false)));
        paths.put("/v1/chat/completions", Map.of("post", op("OpenAI chat completions with a language model: {\"model\","
                + " \"messages\": [{\"role\": \"system|user|assistant\", \"content\"}], \"max_tokens\" or"
                + " \"max_completion_tokens\", \"temperature\", \"top_p\", \"stop\", \"seed\", \"n\": 1, \"stream\","
                + " \"stream_options\": {\"include_usage\"}}; messages rendered through the deployment's chat template;"
                + " streamed as Server-Sent Events of chat.completion.chunk objects ending with data: [DONE].", List.of(), true)));
        paths.put("/v1/completions", Map.of("post", op("OpenAI completions: {\"model\", \"prompt\": string or list of strings,"
                + " \"echo\", \"max_tokens\", \"temperature\", \"top_p\", \"stop\", \"seed\", \"stream\"}.", List.of(), true)));
        paths.put("/v1/embeddings", Map.of("post", op("OpenAI embeddings from a deployed sentence encoder: {\"model\","
                + " \"input\": string or list of up to 2,048 strings, \"encoding_format\": \"float\" | \"base64\" (little-endian"
                + " float32), \"dimensions\": only the model's own}; answers {\"object\": \"list\", \"data\": [{\"object\":"
                + " \"embedding\", \"index\", \"embedding\"}], \"model\", \"usage\": {\"prompt_tokens\", \"total_tokens\"}}.",
                List.of(), true)));
        paths.put("/v2/health/live", Map.of("get", op("Open Inference Protocol v2: the server is live.", List.of(), false)));
        paths.put("/v2/health/ready", Map.of("get", op("Open Inference Protocol v2: the server is ready.", List.of(), false)));
        paths.put("/v2/models/{name}", Map.of("get", op("v2 model metadata: versions, input and output tensors.",
                List.of(param("name")), false)));
        paths.put("/v2/models/{name}/versions/{version}", Map.of("get", op("v2 metadata of one version.",
                List.of(param("name"), param("version")), false)));
        paths.put("/v2/models/{name}/ready", Map.of("get", op("v2 model readiness.", List.of(param("name")), false)));
        paths.put("/v2/models/{name}/versions/{version}/ready", Map.of("get", op("v2 readiness of one version.",
                List.of(param("name"), param("version")), false)));
        paths.put("/v2/models/{name}/infer", Map.of("post", op("v2 inference: {\"inputs\": [{\"name\", \"shape\","
                + " \"datatype\", \"data\"}]}.", List.of(param("name")), true)));
        paths.put("/v2/models/{name}/versions/{version}/infer", Map.of("post", op("v2 inference on one version.",
                List.of(param("name"), param("version")), true)));
        paths.put("/metrics", Map.of("get", op("Prometheus metrics: requests by model and status, latency"
                + " histograms, batch sizes, queue depth, model load time.", List.of(), false)));
        paths.put("/openapi.json", Map.of("get", op("This document.", List.of(), false)));
        paths.put("/admin/deployments", Map.of(
                "get", op("List deployments (every alias and its traffic share).", List.of(), false),
                "post", op("Deploy {\"model\": \"NAME:VERSION\", \"name\", \"alias\", \"weight\", \"max_batch\","
                        + " \"max_delay_ms\", \"workers\"}.", List.of(), true)));
        paths.put("/admin/deployments/{name}", Map.of("delete", op("Undeploy a name, or one alias with ?alias=.",
                List.of(param("name"), query("alias")), false)));
        paths.put("/admin/deployments/{name}/rollback", Map.of("post", op("Put an alias (?alias=, default production) back on"
                + " the version it served before; repeated, further back; 409 when there is none.",
                List.of(param("name"), query("alias")), false)));
        paths.put("/admin/deployments/{name}/history", Map.of("get", op("Every change of the version an alias (?alias=,"
                + " default production) serves, oldest first.", List.of(param("name"), query("alias")), false)));
        billing(paths);
        jobs(paths);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Moxing model server", "version", io.moxing.core.BuildInfo.current().version()));
        doc.put("paths", paths);
        doc.put("security", List.of(Map.of("bearer", List.of())));
        doc.put("components", Map.of("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                "description", "An API key (mx_live_...) for /v1 and /v2 model routes; the admin token (mx_admin_...) for /admin"
                        + " and /metrics. Health checks and this document need none.")), "schemas", Map.of("Error", Map.of("type", "object", "properties",
                Map.of("error", Map.of("type", "object", "properties", Map.of(
                        "message", Map.of("type", "string"), "type", Map.of("type", "string"),
                        "param", Map.of("type", "string", "nullable", true), "code", Map.of("type", "string"))))))));
        return Json.line(doc);
    }

    /** The business layer's routes: a tenant's own records with its API key, the admin API with the admin token. */
    private static void billing(Map<String, Object> paths) {
        route(paths, "/v1/models", "get", "The models this API key may call, in OpenAI's list shape ({\"object\": \"list\","
                + " \"data\": [{\"id\", \"object\", \"created\", \"owned_by\"}]}, and \"models\": the names).", false);
        route(paths, "/v1/usage", "get", "This tenant's usage, ?by=day|month|model|key, ?from=&to= (days), ?model=, ?key=.", false);
        route(paths, "/v1/feedback", "post", "Feedback on a prediction of this tenant's: {\"prediction_id\", \"label\","
                + " \"rating\" (1-5), \"comment\"} (the comment stored redacted of personal data).", true);
        route(paths, "/v1/feedback", "get", "This tenant's feedback, newest first, ?model=&limit= (1-10000).", false);
        route(paths, "/v1/feedback/{id}", "get", "One feedback item of this tenant's.", false);
        route(paths, "/admin/feedback", "get", "Feedback of every tenant, ?tenant=&model=&limit=.", false);
        route(paths, "/admin/feedback/{id}", "get", "One feedback item.", false);
        route(paths, "/v1/invoices", "get", "This tenant's issued invoices.", false);
        route(paths, "/v1/invoices/{id}", "get", "One of this tenant's invoices.", false);
        route(paths, "/v1/invoices/{id}/html", "get", "One of this tenant's invoices as a printable page.", false);
        route(paths, "/admin/plans", "get", "List plans.", false);
        route(paths, "/admin/plans", "post", "Create a plan: {\"name\", \"kind\": free|subscription|pay-per-use, \"currency\","
                + " \"monthly_quota\", \"rate_per_second\", \"burst\", \"monthly_fee\", \"included_units\", \"overage_per_unit\","
                + " \"per_1000_predictions\", \"per_1000_prompt_tokens\", \"per_1000_completion_tokens\", \"per_compute_second\"}.", true);
        route(paths, "/admin/tenants", "get", "List tenants.", false);
        route(paths, "/admin/tenants", "post", "Create a tenant: {\"id\", \"name\", \"plan\"}.", true);
        route(paths, "/admin/tenants/{tenant}", "get", "A tenant, its plan history and keys.", false);
        route(paths, "/admin/tenants/{tenant}/plan", "put", "Change the plan: {\"plan\", \"at\"} (pro-rated).", true);
        route(paths, "/admin/tenants/{tenant}/keys", "get", "The tenant's keys (ids, never secrets).", false);
        route(paths, "/admin/tenants/{tenant}/keys", "post", "New API key, shown once: {\"name\", \"models\", \"rate_per_second\","
                + " \"burst\", \"expires_at\"}.", true);
        route(paths, "/admin/keys/{key}", "delete", "Revoke a key.", false);
        route(paths, "/admin/deployments/{name}/owner", "put", "Make a deployment private to {\"tenant\"} (null: public).", true);
        route(paths, "/admin/usage", "get", "Usage of every tenant, ?tenant=&key=&model=&by=&from=&to=.", false);
        route(paths, "/admin/invoices", "get", "Issued invoices, ?tenant=.", false);
        route(paths, "/admin/tenants/{tenant}/invoices", "post", "Issue the invoice of an ended period: {\"period\": \"YYYY-MM\"}.", true);
        route(paths, "/admin/tenants/{tenant}/invoices/draft", "get", "The invoice a period would get now, ?period=YYYY-MM.", false);
        route(paths, "/admin/invoices/{id}", "get", "One invoice.", false);
        route(paths, "/admin/invoices/{id}/html", "get", "One invoice as a printable page.", false);
        route(paths, "/admin/invoices/{id}/credit-notes", "post", "Credit note: {\"amount\": \"5.00\", \"reason\"}.", true);
        route(paths, "/admin/economics", "get", "Unit economics of ?period=YYYY-MM: cost and price per 1,000, margin, break-even.", false);
        route(paths, "/admin/economics/html", "get", "Unit economics as a page with charts.", false);
        route(paths, "/admin/costs", "put", "Set costs: {\"per_compute_hour\", \"hardware\": cpu|gpu, \"fixed_monthly\", \"currency\"}.", true);
        route(paths, "/admin/audit", "get", "The admin audit log, newest first, ?limit=1..1000 (default 100); first_broken is -1 when the hash chain holds.", false);
    }

    /** Background jobs (training, evaluation, ...), with the admin token. */
    private static void jobs(Map<String, Object> paths) {
        route(paths, "/admin/jobs", "get", "Jobs, newest first, ?state=queued|running|succeeded|failed|cancelled&limit=.", false);
        route(paths, "/admin/jobs", "post", "Queue a job: {\"kind\": \"train\", \"params\": {\"spec\": \"cnn-28\", \"data\","
                + " \"epochs\", \"name\", \"limit\"}} or {\"kind\": \"evaluate\", \"params\": {\"model\", \"data\", \"split\"}}.", true);
        route(paths, "/admin/jobs/{id}", "get", "One job: state, attempts, progress, resume reference, result and its log's tail.", false);
        route(paths, "/admin/jobs/{id}/cancel", "post", "Cancel a queued job, or stop a running one at its next batch.", false);
    }

    @SuppressWarnings("unchecked")
    private static void route(Map<String, Object> paths, String path, String method, String summary, boolean body) {
        List<Object> params = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path);
        while (m.find()) params.add(param(m.group(1)));
        ((Map<String, Object>) paths.computeIfAbsent(path, k -> new LinkedHashMap<>())).put(method, op(summary, params, body));
    }

    private static Map<String, Object> op(String summary, List<Object> parameters, boolean body) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", summary);
        if (!parameters.isEmpty()) op.put("parameters", parameters);
        if (body) op.put("requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of())));
        op.put("responses", Map.of(
                "200", Map.of("description", "OK"),
                "4XX", Map.of("description", "A client mistake", "content",
                        Map.of("application/json", Map.of("schema", Map.of("$ref", ERROR)))),
                "503", Map.of("description", "Overloaded or shutting down (Retry-After)")));
        return op;
    }

    private static Map<String, Object> param(String name) {
        return Map.of("name", name, "in", "path", "required", true, "schema", Map.of("type", "string"));
    }

    private static Map<String, Object> query(String name) {
        return Map.of("name", name, "in", "query", "required", false, "schema", Map.of("type", "string"));
    }
}
