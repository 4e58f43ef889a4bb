package io.raceguard.limit;

/**
 * One rate-limit algorithm as pure arithmetic on a key's state, exactly as the package documentation
 * writes it down. Implementations are immutable and thread-safe; the caller makes each decision one
 * atomic step on the key.
 *
 * @param <S> the per-key state, an immutable value
 */
interface LimitAlgorithm<S> {

    /**
     * @param policy the policy to enforce
     * @return the algorithm the policy names, for its limit and window
     */
    static LimitAlgorithm<?> of(RateLimit policy) {
        return switch (policy.algorithm()) {
            case FIXED_WINDOW -> new FixedWindow(policy.limit(), policy.windowMillis());
            case SLIDING_WINDOW -> new SlidingWindow(policy.limit(), policy.windowMillis());
            case SLIDING_LOG -> new SlidingLog(policy.limit(), policy.windowMillis());
            case TOKEN_BUCKET -> new TokenBucket(policy.limit(), policy.windowMillis());
        };
    }

    /**
     * @param state the key's state, or {@code null} if it has none
     * @param now the current time in milliseconds
     * @param permits the permits asked for, already checked to be in {@code 1..limit}
     * @return the decision and the state to keep: the same state when refused, never {@code null}
     */
    StateTransition<S> decide(S state, long now, long permits);

    /**
     * @param state a key's state
     * @return the first millisecond from which the state no longer affects any decision
     */
    long expiresAt(S state);
}
