package io.raceguard.limit;

/**
 * The token-bucket arithmetic of the package documentation: GCRA with emission interval
 * {@code window / limit} and a burst of {@code limit}, counted in units of {@code 1/limit} millisecond
 * so that it stays exact when the limit does not divide the window. Immutable and thread-safe.
 */
final class TokenBucket implements LimitAlgorithm<TokenBucket.State> {

    /**
     * The theoretical arrival time {@code arrivalMillis + arrivalFraction / limit}.
     *
     * @param arrivalMillis its whole milliseconds
     * @param arrivalFraction its remainder in units of {@code 1/limit} millisecond, {@code 0..limit-1}
     */
    record State(long arrivalMillis, long arrivalFraction) {}

    private final long limit;
    private final long window;
    private final long bucket;

    TokenBucket(long limit, long windowMillis) {
        this.limit = limit;
        this.window = windowMillis;
        this.bucket = limit * windowMillis;
    }

    @Override
    public StateTransition<State> decide(State state, long now, long permits) {
        long backlog = backlog(state, now);
        long room = (limit - permits) * window;
        if (backlog <= room) {
            long after = backlog + permits * window;
            return StateTransition.allowed(
                    new State(now + after / limit, after % limit), (bucket - after) / window);
        }
        long excess = backlog - room;
        long retryAfter = excess / limit + (excess % limit > 0 ? 1 : 0);
        return StateTransition.refused(state, (bucket - backlog) / window, retryAfter);
    }

    /** @return {@code max(TAT - now, 0)} in units of {@code 1/limit} millisecond, at most the bucket */
    private long backlog(State state, long now) {
        if (state == null) {
            return 0;
        }
        long ahead = state.arrivalMillis() - now;
        if (ahead < 0) {
            return 0;
        }
        if (ahead >= window) {
            // Only after the store's clock stepped back: never make anyone wait more than a window.
            return bucket;
        }
        return ahead * limit + state.arrivalFraction();
    }

    @Override
    public long expiresAt(State state) {
        return state.arrivalMillis() + (state.arrivalFraction() > 0 ? 1 : 0);
    }
}
