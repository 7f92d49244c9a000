package io.moxing.compress;

import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether bf16 is worth registering: runs {@link Bf16Probe} on a version in a child JVM (the engine may abort
 * the process) and reads where it stopped or how fast it ran. A version is only worth making when bf16 runs and
 * is faster than fp32; Moxing has no bf16 serving path, so even then it would need one first.
 */
final class Bf16Trial {
    private static final Pattern RESULT = Pattern.compile("result fp32_ms=([0-9.]+) bf16_ms=([0-9.]+) max_abs_diff=([0-9.eE+-]+|NaN)");
    private static final long TIMEOUT_SECONDS = 180;

    private Bf16Trial() {}

    /** What the probe found: whether bf16 ran, milliseconds per batch of 64 on each side, and the sentence to print. */
    record Outcome(boolean ran, Double fp32Millis, Double bf16Millis, String reason) {
        boolean faster() {
            return ran && bf16Millis < fp32Millis;
        }
    }

    static Outcome run(Path versionDir) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Bf16Probe.class.getName(), versionDir.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] bytes;
            try (var in = p.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(false, null, null, "the bf16 probe did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return read(new String(bytes, StandardCharsets.UTF_8), p.exitValue());
        } catch (IOException e) {
            throw new UserException("bf16_probe_failed", "cannot start the bf16 probe (" + command.get(0) + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("bf16_probe_failed", "interrupted while the bf16 probe ran");
        }
    }

    /** The probe's output and exit status, read as an outcome. */
    static Outcome read(String output, int exit) {
        String stage = null;
        String last = "";
        for (String line : output.split("\n")) {
            if (line.startsWith("stage ")) stage = line.substring(6).strip();
            if (!line.isBlank()) last = line.strip();
            Matcher m = RESULT.matcher(line);
            if (m.find()) {
                double fp32 = Double.parseDouble(m.group(1));
                double bf16 = Double.parseDouble(m.group(2));
                String verdict = bf16 < fp32
                        ? String.format("bf16 ran %.2fx faster than fp32 (%.3f against %.3f ms per batch of 64, outputs within %s)"
                                + ", but Moxing has no bf16 serving path yet: not registered", fp32 / bf16, bf16, fp32, m.group(3))
                        : String.format("bf16 ran but slower than fp32 (%.3f against %.3f ms per batch of 64): not registered",
                                bf16, fp32);
                return new Outcome(true, fp32, bf16, verdict);
            }
        }
        String where = stage == null ? "before its first step" : "at \"" + stage + "\"";
        return new Outcome(false, null, null, "bf16 breaks on this engine: the probe process died " + where + " (exit " + exit
                + ": " + last + "); DJL 0.34's PyTorch engine has no bfloat16 in its native type table and aborts the"
                + " process instead of raising an error. Nothing registered");
    }
}
