package io.moxing.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request format: a GET when {@code body} is null, else a POST of {@code body} with its content
 * type and extra headers. Loaded by wrk when installed (scripts/setup --bench), else by {@link LoadGenerator}.
 */
record HttpFormat(String key, String label, String path, String contentType, byte[] body, Map<String, String> headers)
        implements RequestFormat {

    static HttpFormat get(String key, String label, String path) {
        return new HttpFormat(key, label, path, null, null, Map.of());
    }

    static HttpFormat post(String key, String label, String path, String contentType, byte[] body) {
        return new HttpFormat(key, label, path, contentType, body, Map.of());
    }

    HttpFormat withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpFormat(key, label, path, contentType, body, Map.copyOf(more));
    }

    HttpRequest request(java.net.URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (body == null) return b.GET().build();
        b.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b.build();
    }

    @Override
    public Optional<Refusal> probe(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(request(server.url(path)), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Optional.of(new Refusal("no answer: " + e, Refusal.Kind.FAILED));
        }
        int status = r.statusCode();
        if (status / 100 == 2) return Optional.empty();
        String reason = status + " " + r.body().strip();
        return Optional.of(new Refusal(reason.length() > 300 ? reason.substring(0, 300) + "..." : reason,
                status / 100 == 4 ? Refusal.Kind.UNSUPPORTED : Refusal.Kind.FAILED));
    }

    @Override
    public LoadResult load(ServerProcess server, int count, int connections, Path scratch) throws IOException {
        String url = server.url(path).toString();
        return WrkLoad.available() ? WrkLoad.run(url, this, count, connections, scratch)
                : LoadGenerator.inChildProcess(url, this, count, connections, scratch);
    }
}
