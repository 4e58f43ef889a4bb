package io.raceguard.jdbc;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.raceguard.Ticker;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry {@code n} it waits a uniformly random time
 * between zero and {@code min(max, initial * 2^(n-1))}, which spreads competing transactions apart
 * instead of letting them collide again in lockstep. When the wait would end at or past the call's
 * time budget it answers -1, which tells resilience4j to stop retrying and report the retries as
 * exhausted.
 */
final class FullJitterBackoff implements IntervalBiFunction<Object> {

    private static final long STOP = -1L;

    private final long initialMillis;
    private final long maxMillis;
    private final long budgetNanos;
    private final Ticker ticker;

    FullJitterBackoff(Duration initial, Duration max, Duration budget, Ticker ticker) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.budgetNanos = budget.toNanos();
        this.ticker = ticker;
    }

    @Override
    public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
        long wait = ThreadLocalRandom.current().nextLong(ceilingMillis(attempt) + 1);
        OptionalLong started = OutermostCall.startedNanos();
        if (started.isPresent()) {
            long elapsedAfterWait = ticker.read() - started.getAsLong() + Duration.ofMillis(wait).toNanos();
            if (elapsedAfterWait >= budgetNanos) {
                return STOP;
            }
        }
        return wait;
    }

    private long ceilingMillis(int attempt) {
        long ceiling = initialMillis;
        for (int i = 1; i < attempt && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        return Math.min(ceiling, maxMillis);
    }
}
