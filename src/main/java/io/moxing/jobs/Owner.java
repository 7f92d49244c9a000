package io.moxing.jobs;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Who holds a running job: {@code host/pid/start-ms} of the server process. A job whose owner is a dead
 * process on this host is recovered at once; one of another host only once its heartbeat is stale.
 */
final class Owner {
    /** Looked up once: a host without DNS for its own name can take seconds to answer. */
    private static final String HOST = lookUpHost();

    private Owner() {}

    static String thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return host() + "/" + self.pid() + "/" + start(self).map(Instant::toEpochMilli).orElse(0L);
    }

    /** True only when {@code owner} names a process of this host that has exited (its pid gone or reused). */
    static boolean deadOnThisHost(String owner) {
        String[] parts = owner == null ? new String[0] : owner.split("/");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) return true;
            // the same pid with another start time is a new process that reused the number
            Optional<Instant> actual = start(process.get());
            return started != 0 && actual.isPresent() && Math.abs(actual.get().toEpochMilli() - started) > 1000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Instant> start(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static String host() {
        return HOST;
    }

    private static String lookUpHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
