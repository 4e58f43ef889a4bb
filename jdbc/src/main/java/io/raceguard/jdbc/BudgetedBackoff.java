package io.raceguard.jdbc;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.raceguard.Ticker;
import io.raceguard.internal.Backoff;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Backoff} of {@link Transactions}, within the call's time budget: before retry {@code n}
 * it waits the backoff's pause {@code n}, a random time between {@code initial} and {@code min(max,
 * initial * 2^n)}, which spreads competing transactions apart instead of letting them collide again in
 * lockstep. When the wait would end at or past the call's time budget it answers -1, which tells
 * resilience4j to stop retrying and report the retries as exhausted.
 */
final class BudgetedBackoff implements IntervalBiFunction<Object> {

    private static final long STOP = -1L;

    private final Backoff backoff;
    private final long budgetNanos;
    private final Ticker ticker;

    BudgetedBackoff(Backoff backoff, Duration budget, Ticker ticker) {
        this.backoff = backoff;
        this.budgetNanos = budget.toNanos();
        this.ticker = ticker;
    }

    @Override
    public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
        long waitNanos = backoff.pauseNanos(attempt, Long.MAX_VALUE);
        OptionalLong started = OutermostCall.startedNanos();
        if (started.isPresent() && ticker.read() - started.getAsLong() + waitNanos >= budgetNanos) {
            return STOP;
        }
        return TimeUnit.NANOSECONDS.toMillis(waitNanos);
    }
}
