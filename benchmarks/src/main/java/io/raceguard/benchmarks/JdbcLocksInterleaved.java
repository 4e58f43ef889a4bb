package io.raceguard.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link JdbcLocksBenchmark} on one thread, Raceguard and ShedLock taking turns in short slices, so
 * that both see the same load on a shared machine; prints each one's median throughput and the median
 * of the per-pair ratios. A check on the JMH suite's ratio where the database's commit latency swings
 * between iterations, not a replacement for it.
 *
 * <p>Usage: {@code java -cp raceguard-benchmarks.jar io.raceguard.benchmarks.JdbcLocksInterleaved [pairs] [slice-ms]}.
 */
public final class JdbcLocksInterleaved {

    private JdbcLocksInterleaved() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 1000) * 1_000_000;
        JdbcLocksBenchmark raceguard = suite("Raceguard");
        JdbcLocksBenchmark shedLock = suite("ShedLock");
        try {
            slice(raceguard, sliceNanos);
            slice(shedLock, sliceNanos);
            List<Double> raceguardRates = new ArrayList<>();
            List<Double> shedLockRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int pair = 0; pair < pairs; pair++) {
                boolean raceguardFirst = pair % 2 == 0;
                double first = slice(raceguardFirst ? raceguard : shedLock, sliceNanos);
                double second = slice(raceguardFirst ? shedLock : raceguard, sliceNanos);
                double raceguardRate = raceguardFirst ? first : second;
                double shedLockRate = raceguardFirst ? second : first;
                raceguardRates.add(raceguardRate);
                shedLockRates.add(shedLockRate);
                ratios.add(raceguardRate / shedLockRate);
            }
            System.out.printf("lock+unlock of distinct names, 1 thread, %d interleaved pairs of %d ms:%n", pairs,
                    sliceNanos / 1_000_000);
            System.out.printf("  Raceguard median %.1f ops/s, ShedLock median %.1f ops/s, median pair ratio %.2fx%n",
                    median(raceguardRates), median(shedLockRates), median(ratios));
        } finally {
            raceguard.tearDown();
            shedLock.tearDown();
        }
    }

    private static JdbcLocksBenchmark suite(String impl) throws Exception {
        JdbcLocksBenchmark suite = new JdbcLocksBenchmark();
        suite.impl = impl;
        suite.setUp();
        return suite;
    }

    /** @return lock+unlock operations per second during one slice */
    private static double slice(JdbcLocksBenchmark suite, long sliceNanos) {
        long start = System.nanoTime();
        long operations = 0;
        long elapsed;
        do {
            suite.acquireRelease();
            operations++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < sliceNanos);
        return operations * 1e9 / elapsed;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
