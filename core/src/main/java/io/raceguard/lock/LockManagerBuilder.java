package io.raceguard.lock;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;

/**
 * Builds the {@link LockManager} for a {@link LockBackend}. Not thread-safe; the manager it builds is.
 */
public final class LockManagerBuilder {

    private final LockBackend backend;
    private Ticker ticker = Ticker.system();
    private Duration minBackoff = Duration.ofMillis(2);
    private Duration maxBackoff = Duration.ofMillis(200);

    LockManagerBuilder(LockBackend backend) {
        this.backend = requireNonNull(backend, "backend");
    }

    /**
     * @param ticker the monotonic time base of safety deadlines and waits
     * @return this builder
     */
    public LockManagerBuilder ticker(Ticker ticker) {
        this.ticker = requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * @param min the first backoff between attempts while waiting
     * @param max the largest backoff
     * @return this builder
     */
    public LockManagerBuilder backoff(Duration min, Duration max) {
        this.minBackoff = requireNonNull(min, "min");
        this.maxBackoff = requireNonNull(max, "max");
        return this;
    }

    /** @return the lock manager */
    public LockManager build() {
        throw new UnsupportedOperationException("not built yet: " + backend + ticker + minBackoff + maxBackoff);
    }
}
