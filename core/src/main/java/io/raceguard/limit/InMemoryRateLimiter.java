package io.raceguard.limit;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.internal.RateLimitRules;
import java.time.InstantSource;

/**
 * A {@link RateLimiter} for one JVM, the reference implementation of the arithmetic written down in
 * the <a href="package-summary.html#arithmetic">package documentation</a>.
 *
 * <pre>{@code
 * RateLimiter logins = InMemoryRateLimiter.create(RateLimit.slidingWindow(5, Duration.ofMinutes(1)));
 * RateLimitDecision decision = logins.tryAcquire("login:" + clientIp);
 * if (!decision.allowed()) return tooManyRequests(decision.retryAfter());
 * }</pre>
 *
 * <p><b>Atomicity.</b> Each decision is one {@code ConcurrentHashMap.compute} on the key's state that
 * reads the {@link Ticker} inside it: concurrent requests on one key are serialized, never get more
 * permits than the policy allows, and a refused request consumes nothing.
 *
 * <p><b>Time.</b> Windows are aligned on the Unix epoch, as in Redis and SQL, so one policy decides
 * alike on every backend. The wall clock is read once, when the limiter is created, to anchor the
 * {@link Ticker}; every decision then reads the ticker alone: {@code t} is the anchor plus the
 * ticker's whole milliseconds since then. Decisions therefore never go back when the wall clock is
 * stepped, and the limiter's windows stay within the ticker's drift of the wall clock's.
 *
 * <p><b>Memory.</b> A key's state is dropped once it can no longer affect a decision: replaced when
 * the key comes back, and removed by an amortized sweep (one pass over the keys after as many
 * decisions as there were keys), so memory follows the keys active in the last two windows. A sliding
 * log holds at most {@code limit} entries per key; the other algorithms a few numbers.
 *
 * <p><b>Failure model.</b> Nothing to fail: no I/O, no exception but for bad input. State lives in
 * this instance only; two instances, or two JVMs, count separately.
 *
 * <p>Thread-safe.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final RateLimit limit;
    private final LimitStates<?> states;

    private InMemoryRateLimiter(RateLimit limit, InstantSource wallClock, Ticker ticker) {
        this.limit = limit;
        long anchorMillis = wallClock.millis();
        long anchorNanos = ticker.read();
        this.states = new LimitStates<>(LimitAlgorithm.of(limit),
                () -> anchorMillis + Math.floorDiv(ticker.read() - anchorNanos, NANOS_PER_MILLI));
    }

    /**
     * @param limit the policy to enforce
     * @return a limiter on the system clock and the system ticker
     * @throws NullPointerException if {@code limit} is null
     */
    public static RateLimiter create(RateLimit limit) {
        return create(limit, InstantSource.system(), Ticker.system());
    }

    /**
     * @param limit the policy to enforce
     * @param wallClock read once, now, for the epoch milliseconds the windows align on
     * @param ticker read once per decision, for the time elapsed since then
     * @return a limiter on the given clocks
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter create(RateLimit limit, InstantSource wallClock, Ticker ticker) {
        requireNonNull(limit, "limit");
        requireNonNull(wallClock, "wallClock");
        requireNonNull(ticker, "ticker");
        return new InMemoryRateLimiter(limit, wallClock, ticker);
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    @Override
    public RateLimitDecision tryAcquire(String key, long permits) {
        RateLimitRules.requireAcquire(limit, key, permits);
        return states.decide(key, permits);
    }
}
