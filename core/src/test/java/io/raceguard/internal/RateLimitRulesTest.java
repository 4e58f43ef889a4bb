package io.raceguard.internal;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.raceguard.limit.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RateLimitRulesTest {

    private static final RateLimit POLICY = RateLimit.fixedWindow(5, Duration.ofSeconds(1));

    @Test
    void shouldAcceptPermitsFromOneToTheLimitOnly() {
        assertThatNoException().isThrownBy(() -> RateLimitRules.requireAcquire(POLICY, "login:ip", 1));
        assertThatNoException().isThrownBy(() -> RateLimitRules.requireAcquire(POLICY, "login:ip", 5));
        for (long permits : new long[] {0, -1, 6, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> RateLimitRules.requireAcquire(POLICY, "login:ip", permits))
                    .withMessage("permits must be in 1..5, was " + permits);
        }
    }

    @Test
    void shouldRefuseTheKeysEveryPrimitiveRefuses() {
        assertThatNullPointerException().isThrownBy(() -> RateLimitRules.requireAcquire(POLICY, null, 1))
                .withMessage("key");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimitRules.requireAcquire(POLICY, " ", 1))
                .withMessage("key must not be blank");
    }
}
