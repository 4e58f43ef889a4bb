package io.raceguard.limit;

import java.time.Duration;

/**
 * What one decision leaves behind: the key's next state and the answer to the caller.
 *
 * @param state the state to keep for the key
 * @param decision the answer
 * @param <S> the per-key state
 */
record StateTransition<S>(S state, RateLimitDecision decision) {

    static <S> StateTransition<S> allowed(S next, long remaining) {
        return new StateTransition<>(next, new RateLimitDecision(true, remaining, Duration.ZERO));
    }

    static <S> StateTransition<S> refused(S unchanged, long remaining, long retryAfterMillis) {
        return new StateTransition<>(
                unchanged, new RateLimitDecision(false, remaining, Duration.ofMillis(retryAfterMillis)));
    }
}
