package io.raceguard.testing;

import io.raceguard.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when a test says so, to test expiry, windows and deadlines
 * without sleeping. Thread-safe.
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * @param duration how far to move time forward, not negative
     * @return this ticker
     */
    public ManualTicker advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes back, was " + duration);
        }
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
