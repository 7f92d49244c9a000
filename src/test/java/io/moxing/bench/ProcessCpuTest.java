package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void readsUserAndSystemTicksCountedAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 900 0 3 0 170 25 0 0 20 0 30 0 12345";
        assertEquals(new ProcessCpu.Ticks(170, 25), ProcessCpu.ticks(stat));
        assertEquals(195, ProcessCpu.ticks(stat).total());
    }

    @Test
    void aBusyChildProcessShowsPositiveAndGrowingCpuTime() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(400);
            long first = ProcessCpu.nanos(busy.pid());
            Thread.sleep(600);
            long second = ProcessCpu.nanos(busy.pid());
            assertTrue(first > 0, "CPU time of a busy process after 0.4 s: " + first);
            assertTrue(second > first, "CPU time grows: " + first + " then " + second);
        } finally {
            busy.destroyForcibly();
            busy.waitFor();
        }
    }

    @Test
    void readsTheNanosecondsOnCpuFromASchedstatLine() {
        assertEquals(224836245L, ProcessCpu.onCpuNanos("224836245 55932067 551\n"));
    }

    @Test
    void thisJvmsCompilerThreadsHaveUsedSomeButNotMoreThanAllOfItsCpu() {
        long pid = ProcessHandle.current().pid();
        long compilers = ProcessCpu.compilerNanos(pid);
        long all = ProcessCpu.nanos(pid);
        // JUnit and this class were compiled on the way here; the process total rounds down by under a tick
        assertTrue(compilers > 0, "compiler threads' CPU: " + compilers);
        assertTrue(compilers <= all + ProcessCpu.nanosPerTick(), "compilers " + compilers + " ns of a process total " + all);
    }
}
