package io.moxing.console;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console spoken to over plain HTTP, as a script or an attacker would: signs in through the form, then sends
 * requests with the session's cookie (and, when asked, its CSRF token). Redirects are not followed, so a test sees them.
 */
final class ConsoleClient {
    private static final Pattern TOKEN = Pattern.compile("name=\"(?:_csrf|csrf-token)\" (?:value|content)=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private String cookie;

    ConsoleClient(String base) {
        this.base = base;
    }

    /** A client that presents this session cookie (e.g. one taken from the browser). */
    static ConsoleClient withSession(String base, String sessionId) {
        ConsoleClient c = new ConsoleClient(base);
        c.cookie = Cookies.SESSION + "=" + sessionId;
        return c;
    }

    /** Signs in with {@code secret} through the form; the answer to the form's POST. */
    HttpResponse<String> signIn(String secret) throws Exception {
        HttpResponse<String> form = get("/console");
        String signInCookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Cookies.SIGN_IN + "="))
                .findFirst().orElseThrow().split(";", 2)[0];
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + SignIn.PATH))
                .header("Cookie", signInCookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("_csrf", token(form.body()), "secret", secret))).build(),
                HttpResponse.BodyHandlers.ofString());
        answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Cookies.SESSION + "=")).findFirst()
                .ifPresent(c -> cookie = c.split(";", 2)[0]);
        return answer;
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (cookie != null) b.header("Cookie", cookie);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session's CSRF token, as the page at {@code path} carries it. */
    String csrf(String path) throws Exception {
        return token(get(path).body());
    }

    /** A form POST of these name/value pairs (give "_csrf" among them to send a token). */
    HttpResponse<String> post(String path, String... fields) throws Exception {
        String body = form(fields);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) b.header("Cookie", cookie);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token(String html) {
        Matcher m = TOKEN.matcher(html);
        if (!m.find()) throw new AssertionError("no CSRF token on the page:\n" + html);
        return m.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (s.length() > 0) s.append('&');
            s.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
