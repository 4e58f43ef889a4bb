package io.raceguard.limit;

/**
 * Decides whether a request may go ahead under a {@link RateLimit}, per key (a user, an IP, an
 * account and an endpoint).
 *
 * <p><b>Atomicity.</b> Each decision is one atomic step on the store (one Lua script with the Redis
 * server's {@code TIME}, one SQL upsert on the database's {@code now()}, one {@code compute} in
 * memory): concurrent bursts never get more permits than the policy's algorithm bounds (see
 * {@link RateLimit} and the <a href="package-summary.html#bounds">package documentation</a>: a fixed
 * window bounds each aligned window, not every rolling one). A refused request consumes nothing.
 *
 * <p><b>Failure model.</b> A store fault is thrown as {@link io.raceguard.BackendException}: the
 * limiter never fails open silently. Whether to let the request through then is the caller's choice.
 *
 * <p>Implementations are thread-safe.
 */
public interface RateLimiter {

    /** @return the policy this limiter enforces */
    RateLimit limit();

    /**
     * Asks for one permit.
     *
     * @param key whose budget to charge
     * @return the decision
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid
     */
    default RateLimitDecision tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /**
     * Asks for {@code permits} permits, all or none.
     *
     * @param key whose budget to charge
     * @param permits how many, {@code 1..limit}
     * @return the decision
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid or {@code permits} is out of range
     */
    RateLimitDecision tryAcquire(String key, long permits);
}
