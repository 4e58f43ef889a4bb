package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.RateLimit.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the definitions of {@code remaining} and {@code retryAfter} from the package documentation
 * against the decisions themselves, over random request sequences: retryAfter is the first millisecond
 * at which the same request is allowed, remaining the most permits allowed right now.
 */
final class LimitArithmeticPropertiesTest {

    private static final int POLICIES = 150;
    private static final int REQUESTS_PER_POLICY = 200;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void shouldReportTheExactRetryAfterAndRemaining(Algorithm algorithm) {
        SplittableRandom random = new SplittableRandom(algorithm.ordinal());
        for (int i = 0; i < POLICIES; i++) {
            RateLimit policy = randomPolicy(algorithm, random);
            explore(LimitAlgorithm.of(policy), policy, random);
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void shouldDecideAStateItMayDropLikeNoStateAtAll(Algorithm algorithm) {
        SplittableRandom random = new SplittableRandom(100 + algorithm.ordinal());
        for (int i = 0; i < POLICIES; i++) {
            RateLimit policy = randomPolicy(algorithm, random);
            checkExpiry(LimitAlgorithm.of(policy), policy, random);
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void shouldNeverGrantMoreThanTheLimitPerAlignedWindowOrTheBucketAllows(Algorithm algorithm) {
        SplittableRandom random = new SplittableRandom(200 + algorithm.ordinal());
        for (int i = 0; i < POLICIES; i++) {
            RateLimit policy = randomPolicy(algorithm, random);
            checkGrants(LimitAlgorithm.of(policy), policy, random);
        }
    }

    private static RateLimit randomPolicy(Algorithm algorithm, SplittableRandom random) {
        return new RateLimit(algorithm, random.nextLong(1, 12), Duration.ofMillis(random.nextLong(1, 150)));
    }

    private static <S> void explore(LimitAlgorithm<S> algorithm, RateLimit policy, SplittableRandom random) {
        S state = null;
        long now = random.nextLong(-1_000, 1_000);
        for (int i = 0; i < REQUESTS_PER_POLICY; i++) {
            now += random.nextLong(0, policy.windowMillis() / 3 + 2);
            long permits = random.nextLong(1, policy.limit() + 1);
            StateTransition<S> step = algorithm.decide(state, now, permits);
            RateLimitDecision decision = step.decision();
            S before = state;
            long time = now;
            Supplier<String> context = () -> policy + " at " + time + " for " + permits + " from " + before;
            if (decision.allowed()) {
                assertThat(decision.retryAfter()).as(context).isZero();
            } else {
                assertThat(step.state()).as(context).isSameAs(state);
                long wait = decision.retryAfter().toMillis();
                assertThat(wait).as(context).isPositive();
                assertThat(algorithm.decide(state, now + wait, permits).decision().allowed()).as(context).isTrue();
                assertThat(algorithm.decide(state, now + wait - 1, permits).decision().allowed())
                        .as(context)
                        .isFalse();
                assertThat(decision.remaining()).as(context).isLessThan(permits);
            }
            checkRemaining(algorithm, policy, step.state(), now, decision.remaining(), context);
            state = step.state();
        }
    }

    private static <S> void checkRemaining(
            LimitAlgorithm<S> algorithm,
            RateLimit policy,
            S state,
            long now,
            long remaining,
            Supplier<String> context) {
        if (remaining > 0) {
            assertThat(algorithm.decide(state, now, remaining).decision().allowed()).as(context).isTrue();
        }
        if (remaining < policy.limit()) {
            assertThat(algorithm.decide(state, now, remaining + 1).decision().allowed()).as(context).isFalse();
        }
    }

    private static <S> void checkExpiry(LimitAlgorithm<S> algorithm, RateLimit policy, SplittableRandom random) {
        S state = null;
        long now = random.nextLong(-1_000, 1_000);
        for (int i = 0; i < REQUESTS_PER_POLICY / 4; i++) {
            now += random.nextLong(0, policy.windowMillis() / 3 + 2);
            state = algorithm.decide(state, now, random.nextLong(1, policy.limit() + 1)).state();
            long expiry = algorithm.expiresAt(state);
            assertThat(expiry).isGreaterThan(now);
            for (long permits = 1; permits <= policy.limit(); permits++) {
                assertThat(algorithm.decide(state, expiry, permits).decision())
                        .as("%s at %d from %s", policy, expiry, state)
                        .isEqualTo(algorithm.decide(null, expiry, permits).decision());
            }
        }
    }

    private static <S> void checkGrants(LimitAlgorithm<S> algorithm, RateLimit policy, SplittableRandom random) {
        List<long[]> grants = new ArrayList<>();
        S state = null;
        long now = random.nextLong(0, 1_000);
        for (int i = 0; i < REQUESTS_PER_POLICY; i++) {
            now += random.nextLong(0, policy.windowMillis() / 4 + 2);
            long permits = random.nextLong(1, policy.limit() + 1);
            StateTransition<S> step = algorithm.decide(state, now, permits);
            if (step.decision().allowed()) {
                grants.add(new long[] {now, permits});
            }
            state = step.state();
        }
        long window = policy.windowMillis();
        long limit = policy.limit();
        List<String> violations = new ArrayList<>();
        for (int first = 0; first < grants.size(); first++) {
            long granted = 0;
            for (int last = first; last < grants.size(); last++) {
                granted += grants.get(last)[1];
                long start = grants.get(first)[0];
                long end = grants.get(last)[0];
                boolean tooMany = switch (policy.algorithm()) {
                    // Within one aligned window the sliding estimate is at least the current count.
                    case FIXED_WINDOW, SLIDING_WINDOW -> Math.floorDiv(start, window) == Math.floorDiv(end, window)
                            && granted > limit;
                    // The sliding log: every rolling window, aligned or not.
                    case SLIDING_LOG -> end - start < window && granted > limit;
                    // GCRA: at most a full bucket plus what refills over the span.
                    case TOKEN_BUCKET -> granted * window > limit * window + (end - start) * limit;
                };
                if (tooMany) {
                    violations.add(granted + " permits from " + start + " to " + end);
                }
            }
        }
        assertThat(violations).as(policy.toString()).isEmpty();
    }
}
