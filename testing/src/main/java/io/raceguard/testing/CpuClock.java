package io.raceguard.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Reads the CPU time of the current platform thread, to tell CPU-bound calls from calls that wait. */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuClock() {}

    /** @return the current thread's CPU time in nanoseconds, or -1 if the JVM cannot measure it */
    static long currentThreadNanos() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }
}
