package io.raceguard.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The race the locks exist for: a lock that checks a flag and then sets it, with a store round
 * trip in between, lets several of twenty threads released together into the critical section;
 * {@link InMemoryLocks} lets exactly one in at a time, round after round of the hammer.
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
    void shouldLetSeveralThreadsInWithACheckThenSetLock() {
        CheckThenSetLock lock = new CheckThenSetLock();
        AtomicReference<CriticalSection> section = new AtomicReference<>();

        HammerReport<Boolean> report = Hammer.create().times(THREADS).rounds(MAX_ROUNDS)
                .beforeEachRound(() -> {
                    lock.free();
                    section.set(new CriticalSection());
                })
                .fire(() -> {
                    if (!lock.tryTake()) {
                        return false;
                    }
                    section.get().enter();
                    lock.free();
                    return true;
                })
                .check(oneInsideAtATime(section));

        assertThat(report.failed()).as("most threads inside at once, naive lock").isTrue();
    }

    @Test
    void shouldLetOneThreadInAtATimeWithInMemoryLocks() {
        try (LockManager locks = InMemoryLocks.create()) {
            AtomicReference<CriticalSection> section = new AtomicReference<>();
            AtomicInteger round = new AtomicInteger();
            LeaseOptions options = LeaseOptions.ttl(Duration.ofSeconds(30)).waitUpTo(Duration.ofSeconds(30));

            Hammer.create().times(THREADS).rounds(MAX_ROUNDS)
                    .beforeEachRound(() -> {
                        round.incrementAndGet();
                        section.set(new CriticalSection());
                    })
                    .fire(() -> locks.withLock("naive-race-" + round.get(), options, lease -> {
                        section.get().enter();
                        return true;
                    }))
                    .expect(oneInsideAtATime(section),
                            Invariant.exactly(THREADS, "got their turn", Boolean::booleanValue));
        }
    }

    private static Invariant<Object> oneInsideAtATime(AtomicReference<CriticalSection> section) {
        return Invariant.that("one thread inside at a time",
                round -> assertThat(section.get().mostInside).as("most threads inside at once").hasValue(1));
    }
}
