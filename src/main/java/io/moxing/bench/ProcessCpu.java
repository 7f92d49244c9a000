package io.moxing.bench;

import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time another process has used, read from Linux's {@code /proc/PID/stat}: user plus system time
 * of all its threads, the living and the exited.
 *
 * <p>Why not the more precise {@code /proc/PID/task/*&#47;schedstat} (nanoseconds, per thread): a
 * thread that exits takes its time with it, and a JVM's threads come and go under load (JIT compiler
 * threads are started and stopped on demand, Jetty trims idle threads), so a sum over the living
 * threads can run backwards. {@code stat} counts the exited threads too; its unit is a clock tick (10 ms
 * where {@code getconf CLK_TCK} is 100), and a measurement that spans hundreds of ticks loses under 1%.
 * Public for {@code scripts/ServingFloor.java}, which reads its servers the same way.
 */
public final class ProcessCpu {
    private static volatile long nanosPerTick;

    private ProcessCpu() {}

    /** User + system CPU time of process {@code pid} so far, in nanoseconds (a multiple of one clock tick). */
    public static long nanos(long pid) {
        return times(pid).total() * nanosPerTick();
    }

    /** A process's CPU time so far in clock ticks, split into user and kernel (system) time. */
    record Ticks(long user, long system) {
        long total() {
            return user + system;
        }
    }

    static Ticks times(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UserException("bench_failed", "cannot read the CPU time of process " + pid + " from /proc ("
                    + e.getMessage() + "); this measurement needs Linux and a running process");
        }
    }

    /** utime and stime, fields 14 and 15 of a stat line; counted after the command name, which may hold spaces. */
    static Ticks ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return new Ticks(Long.parseLong(fields[11]), Long.parseLong(fields[12]));
    }

    /**
     * The CPU time the JIT compiler threads of JVM {@code pid} have used so far, in nanoseconds: compiling is a cost
     * of warming up, not of a request, and a window it falls in is not yet steady. Read from each compiler thread's
     * {@code schedstat} (nanoseconds on the CPU; their {@code stat} counts whole clock ticks, and a few threads each
     * rounding down by up to a tick made a 60-tick window's compiler share wrong by several points). The threads are
     * counted only while they live, so a JVM measured this way should keep them
     * ({@code -XX:-UseDynamicNumberOfCompilerThreads}).
     */
    public static long compilerNanos(long pid) {
        long nanos = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        nanos += onCpuNanos(Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII));
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the reading
                }
            }
        } catch (IOException e) {
            throw new UserException("bench_failed", "cannot list the threads of process " + pid + " in /proc (" + e.getMessage()
                    + "); this measurement needs Linux and a running process");
        }
        return nanos;
    }

    /** The first field of a thread's {@code schedstat}: nanoseconds it has run on a CPU. */
    static long onCpuNanos(String schedstat) {
        String s = schedstat.strip();
        int space = s.indexOf(' ');
        return Long.parseLong(space < 0 ? s : s.substring(0, space));
    }

    static long nanosPerTick() {
        if (nanosPerTick == 0) {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                p.waitFor();
                nanosPerTick = 1_000_000_000L / Long.parseLong(out);
            } catch (IOException | NumberFormatException e) {
                throw new UserException("bench_failed", "cannot read the clock tick (getconf CLK_TCK): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("bench_failed", "interrupted");
            }
        }
        return nanosPerTick;
    }
}
