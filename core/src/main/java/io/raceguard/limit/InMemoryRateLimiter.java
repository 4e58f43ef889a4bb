package io.raceguard.limit;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.internal.RateLimitRules;

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
 * <p><b>Memory.</b> A key's state is dropped once it can no longer affect a decision: replaced when
 * the key comes back, and removed by an amortized sweep (one pass over the keys after as many
 * decisions as there were keys), so memory follows the keys active in the last two windows.
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

    private InMemoryRateLimiter(RateLimit limit, Ticker ticker) {
        this.limit = limit;
        this.states = new LimitStates<>(
                LimitAlgorithm.of(limit), () -> Math.floorDiv(ticker.read(), NANOS_PER_MILLI));
    }

    /**
     * @param limit the policy to enforce
     * @return a limiter on the system ticker
     * @throws NullPointerException if {@code limit} is null
     */
    public static RateLimiter create(RateLimit limit) {
        return create(limit, Ticker.system());
    }

    /**
     * @param limit the policy to enforce
     * @param ticker the time source, read once per decision; fixed windows align on its zero
     * @return a limiter on the given ticker
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter create(RateLimit limit, Ticker ticker) {
        requireNonNull(limit, "limit");
        requireNonNull(ticker, "ticker");
        return new InMemoryRateLimiter(limit, ticker);
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
