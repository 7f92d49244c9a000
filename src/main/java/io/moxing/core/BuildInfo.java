package io.moxing.core;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Which code and which machine produced a result: recorded in every run and model version. */
public record BuildInfo(String version, String commit, String java, String os, String cpu, int cores, long memoryBytes) {

    private static final BuildInfo CURRENT = detect();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo detect() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/moxing-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // build info is best-effort; an unknown commit is recorded as such
        }
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new BuildInfo(
                p.getProperty("version", "dev"),
                System.getProperty("moxing.commit", p.getProperty("commit", "unknown")),
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                memory);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the OS line still says what machine it was
        }
        return "unknown";
    }
}
