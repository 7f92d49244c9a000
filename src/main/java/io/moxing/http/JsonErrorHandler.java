package io.moxing.http;

import io.moxing.core.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers — a request it cannot parse (a bad chunk size, a header too large), or one
 * that fails before Javalin's routes see it — in the project's error shape instead of an HTML page or an
 * empty body, each counted like any other answer.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final IntConsumer count;

    /** @param count told the status of every answer made here */
    JsonErrorHandler(IntConsumer count) {
        this.count = count;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        count.accept(status);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        count.accept(code);
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, message));
    }

    private static byte[] body(int status, String reason) {
        String code = status == 413 || status == 431 ? "request_too_large" : status >= 500 ? "server_error" : "bad_request";
        String message = "the request could not be read as HTTP" + (reason == null || reason.isBlank() ? ""
                : " (" + reason + ")") + "; status " + status;
        return Json.line(ApiError.body(status, code, message, null)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
