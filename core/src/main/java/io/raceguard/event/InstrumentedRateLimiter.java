package io.raceguard.event;

import io.raceguard.internal.EventRouting;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;

/** A rate limiter that reports each decision of the one it wraps; see {@link Instrumented}. */
final class InstrumentedRateLimiter implements RateLimiter {

    private final RateLimiter limiter;
    private final EventRouting events;

    InstrumentedRateLimiter(RateLimiter limiter, EventRouting events) {
        this.limiter = limiter;
        this.events = events;
    }

    @Override
    public RateLimit limit() {
        return limiter.limit();
    }

    @Override
    public RateLimitDecision tryAcquire(String key, long permits) {
        RateLimitDecision decision = limiter.tryAcquire(key, permits);
        events.forKey(key).rateLimit(decision.allowed());
        return decision;
    }
}
