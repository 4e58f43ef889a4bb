package io.raceguard.benchmarks;

import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link InMemoryCounters} {@code take} and {@code add} on one hot key against what people write by
 * hand: a {@code synchronized} check-then-act on a {@link HashMap}, and a compare-and-set loop on a
 * {@link ConcurrentHashMap} of {@link AtomicLong}s. Every call applies (the level never runs out and
 * never reaches the ceiling), so this is the cost of the successful path, alone and with two threads
 * fighting over the key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CountersBenchmark {

    private static final String KEY = "stock:42";
    private static final long START = Long.MAX_VALUE / 2;
    private static final long CEILING = Long.MAX_VALUE - 1;

    @Param({"raceguard", "synchronized-hashmap", "chm-atomiclong-cas"})
    public String impl;

    private CounterStep counters;

    @Setup
    public void setUp() {
        counters = switch (impl) {
            case "raceguard" -> new RaceguardStep(InMemoryCounters.create());
            case "synchronized-hashmap" -> new SynchronizedHashMapStep();
            case "chm-atomiclong-cas" -> new AtomicLongStep();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        counters.set(KEY, START);
    }

    @Benchmark
    @Threads(1)
    public long takeOneThread() {
        return counters.take(KEY, 1);
    }

    @Benchmark
    @Threads(2)
    public long takeTwoThreads() {
        return counters.take(KEY, 1);
    }

    @Benchmark
    @Threads(1)
    public long addOneThread() {
        return counters.add(KEY, 1, CEILING);
    }

    @Benchmark
    @Threads(2)
    public long addTwoThreads() {
        return counters.add(KEY, 1, CEILING);
    }

    /** The two guarded steps, answering the new level or -1 when refused. */
    private interface CounterStep {
        void set(String key, long level);

        long take(String key, long amount);

        long add(String key, long amount, long ceiling);
    }

    /** The subject, read the way a caller reads its outcomes. */
    private static final class RaceguardStep implements CounterStep {
        private final Counters counters;

        RaceguardStep(Counters counters) {
            this.counters = counters;
        }

        @Override
        public void set(String key, long level) {
            counters.set(key, level);
        }

        @Override
        public long take(String key, long amount) {
            return levelOf(counters.take(key, amount));
        }

        @Override
        public long add(String key, long amount, long ceiling) {
            return levelOf(counters.add(key, amount, ceiling));
        }

        private static long levelOf(Outcome<Long> outcome) {
            return outcome.isApplied() ? outcome.value() : -1;
        }
    }

    /** Baseline: one monitor around a plain map, the check and the act inside it. */
    private static final class SynchronizedHashMapStep implements CounterStep {
        private final Map<String, Long> levels = new HashMap<>();

        @Override
        public synchronized void set(String key, long level) {
            levels.put(key, level);
        }

        @Override
        public synchronized long take(String key, long amount) {
            Long level = levels.get(key);
            if (level == null || level < amount) {
                return -1;
            }
            long taken = level - amount;
            levels.put(key, taken);
            return taken;
        }

        @Override
        public synchronized long add(String key, long amount, long ceiling) {
            long level = levels.getOrDefault(key, 0L);
            if (level > ceiling - amount) {
                return -1;
            }
            long added = level + amount;
            levels.put(key, added);
            return added;
        }
    }

    /** Baseline: lock-free, a compare-and-set loop on the key's {@link AtomicLong}. */
    private static final class AtomicLongStep implements CounterStep {
        private final ConcurrentHashMap<String, AtomicLong> levels = new ConcurrentHashMap<>();

        @Override
        public void set(String key, long level) {
            levels.computeIfAbsent(key, k -> new AtomicLong()).set(level);
        }

        @Override
        public long take(String key, long amount) {
            AtomicLong level = levels.get(key);
            if (level == null) {
                return -1;
            }
            while (true) {
                long current = level.get();
                if (current < amount) {
                    return -1;
                }
                if (level.compareAndSet(current, current - amount)) {
                    return current - amount;
                }
            }
        }

        @Override
        public long add(String key, long amount, long ceiling) {
            AtomicLong level = levels.computeIfAbsent(key, k -> new AtomicLong());
            while (true) {
                long current = level.get();
                if (current > ceiling - amount) {
                    return -1;
                }
                if (level.compareAndSet(current, current + amount)) {
                    return current + amount;
                }
            }
        }
    }
}
