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
 * its share of {@code count} answers (a Lua script counts them), latency percentiles from {@code --latency}.
 */
final class WrkLoad {
    static final Path WRK = Path.of("/usr/bin/wrk");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$");

    private WrkLoad() {}

    static boolean available() {
        return Files.isExecutable(WRK);
    }

    /** Throughput, p50 and p99 (ms) and the non-200 answers of {@code count} requests. */
    record Measured(double throughput, double p50Ms, double p99Ms, int errors) {}

    static Measured run(String url, String contentType, byte[] body, int count, int connections, Path scratch)
            throws IOException {
        int threads = Math.min(2, connections);
        Path script = scratch.resolve("load-" + connections + ".lua");
        StringBuilder lua = new StringBuilder();
        if (body != null) {
            lua.append("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"").append(contentType).append("\"\nwrk.body = \"");
            for (byte b : body) lua.append('\\').append(b & 0xFF);
            lua.append("\"\n");
        }
        lua.append("local limit = ").append((count + threads - 1) / threads).append("\nlocal answered = 0\nerrors = 0\n")
                .append("function response(status, headers, body)\n  answered = answered + 1\n")
                .append("  if status ~= 200 then errors = errors + 1 end\n")
                .append("  if answered == limit then io.write(\"moxing-thread-done\\n\"); io.flush() end\nend\n");
        Files.writeString(script, lua.toString());
        long start = System.nanoTime();
        Process p = new ProcessBuilder(WRK.toString(), "-t" + threads, "-c" + connections, "-d300s", "--latency",
                "-s", script.toString(), url).redirectErrorStream(true).start();
        // wrk runs for its whole duration; when every thread has had its share of answers, SIGINT makes it
        // stop and print its report (its own handler), so the run is a fixed count of requests
        StringBuilder output = new StringBuilder();
        int done = 0;
        double seconds = Double.NaN;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("moxing-thread-done")) {
                    if (++done == threads) {
                        seconds = (System.nanoTime() - start) / 1e9;
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
        if (Double.isNaN(seconds)) {
            throw new UserException("bench_failed", "wrk ended before " + count + " answers: " + out.strip());
        }
        double throughput = (double) threads * ((count + threads - 1) / threads) / seconds;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : out.lines().toList()) {
            Matcher m = PERCENTILE.matcher(line);
            if (m.matches()) {
                double ms = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                    case "us" -> 0.001;
                    case "s" -> 1000;
                    default -> 1;
                };
                if (m.group(1).equals("50")) p50 = ms; else p99 = ms;
            }
        }
        int errors = (int) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0);
        for (String kind : List.of("connect", "read", "write", "timeout")) {
            errors += (int) number(out, kind + " ([0-9]+)", 0);
        }
        return new Measured(throughput, p50, p99, errors);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new UserException("bench_failed", "cannot read wrk's output: " + text.strip());
        return Double.parseDouble(m.group(1));
    }

    private static double number(String text, String regex, double fallback) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }
}
