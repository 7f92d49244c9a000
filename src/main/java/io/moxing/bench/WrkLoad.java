package io.moxing.bench;

import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from wrk (Debian's {@code wrk} package), a client in C that costs the shared cores far less per
 * request than a Java client: {@code CONNECTIONS} connections over two threads, each thread stopping after
 * its share of {@code count} answers (a Lua script counts them) and wrk stopped once all have; throughput is
 * every answer over wrk's own run time, latency percentiles from {@code --latency}.
 */
final class WrkLoad {
    static final Path WRK = Path.of("/usr/bin/wrk");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in ([0-9.]+)(us|ms|s|m|h)\\b");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$");

    private WrkLoad() {}

    static boolean available() {
        return Files.isExecutable(WRK);
    }

    /** {@code count} requests of {@code format} to {@code url}, at most {@code connections} at a time. */
    static LoadResult run(String url, HttpFormat format, int count, int connections, Path scratch) throws IOException {
        int threads = Math.min(2, connections);
        Path script = scratch.resolve("load-" + format.key() + "-" + connections + ".lua");
        StringBuilder lua = new StringBuilder();
        if (format.body() != null) {
            lua.append("wrk.method = \"POST\"\n");
            header(lua, "Content-Type", format.contentType());
            format.headers().forEach((name, value) -> header(lua, name, value));
            // decimal escapes carry any byte, so binary bodies travel unchanged
            lua.append("wrk.body = \"");
            for (byte b : format.body()) lua.append('\\').append(b & 0xFF);
            lua.append("\"\n");
        }
        lua.append("local limit = ").append((count + threads - 1) / threads).append("\nlocal answered = 0\n")
                .append("function response(status, headers, body)\n  answered = answered + 1\n")
                .append("  if answered == limit then io.write(\"moxing-thread-done\\n\"); io.flush() end\nend\n");
        Files.writeString(script, lua.toString());
        Process p = new ProcessBuilder(WRK.toString(), "-t" + threads, "-c" + connections, "-d300s", "--latency",
                "-s", script.toString(), url).redirectErrorStream(true).start();
        // wrk runs for its whole duration; when every thread has had its share of answers, SIGINT makes it
        // stop and print its report (its own handler), so the run is a fixed count of requests
        StringBuilder output = new StringBuilder();
        int done = 0;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("moxing-thread-done")) {
                    if (++done == threads) {
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
                    }
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        String out = output.toString();
        try {
            if (p.waitFor() != 0) throw new UserException("bench_failed", "wrk failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("bench_failed", "interrupted");
        }
        if (done < threads) {
            throw new UserException("bench_failed", "wrk ended before " + count + " answers: " + out.strip());
        }
        // every answer until wrk stopped (a thread that had its share goes on until the last has), over wrk's own run time
        Matcher total = TOTAL.matcher(out);
        if (!total.find()) throw new UserException("bench_failed", "cannot read wrk's output: " + out.strip());
        long answered = Long.parseLong(total.group(1));
        double throughput = answered / seconds(total.group(2), total.group(3));
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : out.lines().toList()) {
            Matcher m = PERCENTILE.matcher(line);
            if (m.matches()) {
                double ms = 1000 * seconds(m.group(2), m.group(3));
                if (m.group(1).equals("50")) p50 = ms; else p99 = ms;
            }
        }
        int errors = (int) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0);
        for (String kind : List.of("connect", "read", "write", "timeout")) {
            errors += (int) number(out, kind + " ([0-9]+)", 0);
        }
        return new LoadResult(answered, throughput, p50, p99, errors);
    }

    /** A duration as wrk prints it: a number and a unit. */
    private static double seconds(String value, String unit) {
        return Double.parseDouble(value) * switch (unit) {
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "m" -> 60;
            case "h" -> 3600;
            default -> 1;
        };
    }

    private static void header(StringBuilder lua, String name, String value) {
        lua.append("wrk.headers[\"").append(name).append("\"] = \"").append(value).append("\"\n");
    }

    private static double number(String text, String regex, double fallback) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }
}
