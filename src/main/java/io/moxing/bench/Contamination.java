package io.moxing.bench;

import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How clean a benchmark's timed rounds were, measured rather than assumed: the CPU that processes other
 * than the two being compared used during the rounds (as a share of the whole machine), and the kernel's
 * share of each side's own CPU time. A baseline that spends a third of its time in the kernel is paging,
 * not computing (the glibc mmap-threshold trap that once made PyTorch look 4x slower here); a machine
 * whose other processes took a fifth of the cores makes both sides' figures noise.
 *
 * <p>Only the timed windows count: {@link #begin} before a timed chunk and {@link #end} after it.
 */
final class Contamination {
    /** Above these the bench warns that its figures may not mean what they seem. */
    static final double OTHER_WARNING = 0.05;
    static final double SYSTEM_WARNING = 0.10;

    private long machineTicks;
    private long busyTicks;
    private long ownTicks;
    private long ownSystemTicks;
    private long baselineTicks;
    private long baselineSystemTicks;
    private Snapshot open;

    private record Snapshot(long machine, long busy, ProcessCpu.Ticks own, ProcessCpu.Ticks baseline, long baselinePid) {}

    /** Starts a timed window; {@code baselinePid} is the baseline's process, or -1 when the window times only ours. */
    void begin(long baselinePid) {
        long[] machine = machine();
        open = new Snapshot(machine[0], machine[1], ProcessCpu.times(ProcessHandle.current().pid()),
                baselinePid < 0 ? new ProcessCpu.Ticks(0, 0) : ProcessCpu.times(baselinePid), baselinePid);
    }

    void end() {
        long[] machine = machine();
        ProcessCpu.Ticks own = ProcessCpu.times(ProcessHandle.current().pid());
        ProcessCpu.Ticks baseline = open.baselinePid() < 0 ? new ProcessCpu.Ticks(0, 0) : ProcessCpu.times(open.baselinePid());
        machineTicks += machine[0] - open.machine();
        busyTicks += machine[1] - open.busy();
        ownTicks += own.total() - open.own().total();
        ownSystemTicks += own.system() - open.own().system();
        baselineTicks += baseline.total() - open.baseline().total();
        baselineSystemTicks += baseline.system() - open.baseline().system();
        open = null;
    }

    /** CPU used by other processes during the windows, as a share of all cores' time. */
    double otherCpuShare() {
        return machineTicks == 0 ? 0 : Math.max(0, busyTicks - ownTicks - baselineTicks) / (double) machineTicks;
    }

    /** The kernel's share of this process's CPU time during the windows. */
    double systemCpuShare() {
        return ownTicks == 0 ? 0 : ownSystemTicks / (double) ownTicks;
    }

    /** The kernel's share of the baseline's CPU time during the windows; null when no baseline ran. */
    Double baselineSystemCpuShare() {
        return baselineTicks == 0 ? null : baselineSystemTicks / (double) baselineTicks;
    }

    /** What a reader of the figures should be told; empty when the rounds were clean. */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (otherCpuShare() > OTHER_WARNING) {
            out.add(String.format("other processes used %.0f%% of the machine during the timed rounds: both sides' "
                    + "figures are lower than this machine gives; run again when it is quiet", 100 * otherCpuShare()));
        }
        if (systemCpuShare() > SYSTEM_WARNING) {
            out.add(String.format("moxing spent %.0f%% of its CPU time in the kernel (page faults, allocation)",
                    100 * systemCpuShare()));
        }
        Double baseline = baselineSystemCpuShare();
        if (baseline != null && baseline > SYSTEM_WARNING) {
            out.add(String.format("the PyTorch baseline spent %.0f%% of its CPU time in the kernel: it is handicapped "
                    + "(allocator settings?), so the ratio flatters moxing", 100 * baseline));
        }
        return out;
    }

    /** All cores' ticks so far, and the busy ones among them (user, nice, system, irq, softirq), from /proc/stat. */
    private static long[] machine() {
        String line;
        try {
            line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new UserException("bench_failed", "cannot read /proc/stat (" + e.getMessage()
                    + "); this benchmark measures the machine's load and needs Linux");
        }
        return machineTicks(line);
    }

    /** The "cpu" line: user nice system idle iowait irq softirq steal [guest guest_nice], guest already in user. */
    static long[] machineTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
        return new long[] {total, busy};
    }
}
