/**
 * The HTTP adapter (Javalin): the model routes (v1, Open Inference Protocol v2), the tenant and admin
 * routes of the business layer, the OpenAPI document, and the mapping of every refusal to
 * {@code {"error": {"code", "message"}}}.
 */
package io.moxing.http;
