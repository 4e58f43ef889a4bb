package io.raceguard.lock;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * Per-key wake-ups for threads waiting on a busy in-memory lock. A key has a signal only while
 * somebody waits on it, so memory stays bounded by the number of waiters. Thread-safe.
 */
final class ReleaseSignals {

    /** One generation of waiters on a key; a release opens it and detaches it from the key. */
    private static final class Signal {
        final CountDownLatch released = new CountDownLatch(1);
        int waiters; // guarded by the map's lock on the key
    }

    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    /**
     * Waits until {@link #signal} is called for the key, at most {@code maxWait}. The waiter
     * registers before it looks at {@code held}, so a release between the look and the wait is not missed.
     *
     * @param held whether the key is still held; if not, returns at once
     * @throws InterruptedException if interrupted while waiting
     */
    void await(String key, Duration maxWait, BooleanSupplier held) throws InterruptedException {
        Signal signal = signals.compute(key, (k, current) -> {
            Signal joined = current == null ? new Signal() : current;
            joined.waiters++;
            return joined;
        });
        try {
            if (held.getAsBoolean()) {
                signal.released.await(maxWait.toNanos(), NANOSECONDS);
            }
        } finally {
            signals.computeIfPresent(key, (k, current) -> current == signal && --current.waiters == 0 ? null : current);
        }
    }

    /** Wakes every thread waiting on the key. Cheap when nobody waits. */
    void signal(String key) {
        Signal signal = signals.remove(key);
        if (signal != null) {
            signal.released.countDown();
        }
    }

    /** @return how many keys have waiters; for tests of the memory bound */
    int waitedKeys() {
        return signals.size();
    }
}
