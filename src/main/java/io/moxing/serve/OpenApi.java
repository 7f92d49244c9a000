package io.moxing.serve;

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
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Moxing model server", "version", io.moxing.core.BuildInfo.current().version()));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", Map.of("Error", Map.of("type", "object", "properties",
                Map.of("error", Map.of("type", "object", "properties", Map.of(
                        "code", Map.of("type", "string"), "message", Map.of("type", "string"))))))));
        return Json.line(doc);
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
