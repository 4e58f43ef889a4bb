package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
     * A wall clock for components that align on the epoch and measure with a ticker (such as the
     * in-memory rate limiter): it moves exactly as this ticker does. Thread-safe.
     *
     * @param atZero the instant it reads while this ticker reads zero
     * @return a wall clock that reads {@code atZero} plus this ticker's reading
     * @throws NullPointerException if {@code atZero} is null
     */
    public InstantSource wallClock(Instant atZero) {
        requireNonNull(atZero, "atZero");
        return () -> atZero.plusNanos(read());
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
