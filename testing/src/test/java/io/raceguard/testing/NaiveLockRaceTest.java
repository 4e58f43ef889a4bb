package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The race the locks exist for: a lock that checks a flag and then sets it, with a store round
 * trip in between, lets several of twenty threads released together into the critical section;
 * {@link InMemoryLocks} lets exactly one in at a time.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
final class NaiveLockRaceTest {

    private static final int THREADS = 20;
    private static final int MAX_ROUNDS = 10;
    private static final long ROUND_TRIP_MILLIS = 2;

    /** Check-then-act: the read and the write are separate steps, as two store calls would be. */
    private static final class CheckThenSetLock {
        private volatile boolean held;

        boolean tryTake() throws InterruptedException {
            if (held) {
                return false;
            }
            Thread.sleep(ROUND_TRIP_MILLIS); // the write reaches the store one round trip after the read
            held = true;
            return true;
        }

        void free() {
            held = false;
        }
    }

    /** Counts the threads inside the critical section and remembers the most at once. */
    private static final class CriticalSection {
        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicInteger mostInside = new AtomicInteger();

        void enter() throws InterruptedException {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.sleep(ROUND_TRIP_MILLIS);
            inside.decrementAndGet();
        }
    }

    @Test
    void shouldLetSeveralThreadsInWithACheckThenSetLock() throws InterruptedException {
        int mostInside = 0;
        for (int round = 0; round < MAX_ROUNDS && mostInside < 2; round++) {
            CheckThenSetLock lock = new CheckThenSetLock();
            CriticalSection section = new CriticalSection();
            StartingGate.runTogether(THREADS, () -> {
                if (lock.tryTake()) {
                    section.enter();
                    lock.free();
                }
                return null;
            });
            mostInside = section.mostInside.get();
        }

        assertThat(mostInside).as("most threads inside at once, naive lock").isGreaterThan(1);
    }

    @Test
    void shouldLetOneThreadInAtATimeWithInMemoryLocks() throws InterruptedException {
        try (LockManager locks = InMemoryLocks.create()) {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                CriticalSection section = new CriticalSection();
                AtomicInteger entered = new AtomicInteger();
                String key = "naive-race-" + round;
                StartingGate.runTogether(THREADS, () -> locks.withLock(key,
                        LeaseOptions.ttl(Duration.ofSeconds(30)).waitUpTo(Duration.ofSeconds(30)), lease -> {
                            entered.incrementAndGet();
                            section.enter();
                            return null;
                        }));

                assertThat(section.mostInside).as("most threads inside at once, round %d", round).hasValue(1);
                assertThat(entered).as("threads that got their turn").hasValue(THREADS);
            }
        }
    }
}
