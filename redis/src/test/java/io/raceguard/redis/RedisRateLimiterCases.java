package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.testing.contract.RateLimiterContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rate-limiter contract on {@link RedisRateLimiter}, plus what only Redis can get wrong: the
 * clock (the server's {@code TIME}, never the JVM's), doubles in Lua, expiry of every state, and
 * awkward keys inside script arguments. After each test every key left under the class's prefix
 * must expire within two of the longest window any test used.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisRateLimiterCases extends RateLimiterContract {

    /** The kit's longest window is an hour; a sliding window's state lives two windows. */
    private static final Duration LONGEST_STATE = Duration.ofHours(2);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final long[] WINDOWS_MILLIS = {1, 2, 3, 7, 10, 400, 1_000, 7_919, 3_600_000, 86_400_000,
            Duration.ofDays(365).toMillis()};
    private static final int SEQUENCES_PER_ALGORITHM = 30;
    private static final int DECISIONS_PER_SEQUENCE = 40;

    /** @return the Redis of the subclass, started once for the class */
    abstract RedisTarget target();

    private String limiterPrefix() {
        return target().prefix() + "limit:";
    }

    @Override
    protected RateLimiter rateLimiter(RateLimit policy) {
        return RedisRateLimiter.create(target().client(), policy, limiterPrefix());
    }

    @AfterEach
    void checkEveryKeyExpires() {
        target().assertNothingOutlivesItsTtl(LONGEST_STATE);
    }

    @Test
    void shouldAlignWindowsOnTheServersClock() {
        long window = 7_919; // a prime, so that no other clock's second or minute lines up with it
        RateLimit policy = RateLimit.fixedWindow(1, Duration.ofMillis(window));
        RateLimiter limiter = rateLimiter(policy);
        for (int attempt = 0; attempt < 3; attempt++) {
            String key = "aligned:" + UUID.randomUUID();
            String redisKey = redisKey(key, policy);
            long before = ServerTime.millis(target().client(), redisKey);
            assertThat(limiter.tryAcquire(key).allowed()).isTrue();
            RateLimitDecision refused = limiter.tryAcquire(key);
            long after = ServerTime.millis(target().client(), redisKey);
            if (refused.allowed()) {
                continue; // a window ended between the two calls: try again in the next one
            }

            long windowEnd = target().client().pexpireTime(redisKey);
            assertThat(windowEnd % window).as("the state expires at the end of a window aligned on the server's epoch")
                    .isZero();
            assertThat(windowEnd - refused.retryAfter().toMillis())
                    .as("the time the refusal was decided at, between two readings of the server's TIME")
                    .isBetween(before, after);
            return;
        }
        throw new AssertionError("three windows of " + window + " ms ended between two calls each");
    }

    @Test
    void shouldDecideBitForBitLikeTheInMemoryReferenceOnTheSameClockReadings() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (Algorithm algorithm : Algorithm.values()) {
            String script = withClockFromArguments(algorithm);
            for (int sequence = 0; sequence < SEQUENCES_PER_ALGORITHM; sequence++) {
                RateLimit policy = randomPolicy(random, algorithm);
                String redisKey = target().prefix() + "reference:" + UUID.randomUUID();
                try {
                    replayAgainstTheReference(random, script, policy, redisKey, "seed " + seed + ", " + policy);
                } finally {
                    target().client().del(redisKey);
                }
            }
        }
    }

    /**
     * Runs one random sequence of decisions on one key, on a clock the test moves (forward, and now
     * and then back, as a server's clock may step), through the script and through the reference.
     */
    private void replayAgainstTheReference(Random random, String script, RateLimit policy, String redisKey,
            String context) {
        long window = policy.windowMillis();
        // Far ahead of the real clock, so that Redis never expires a state the reference still holds.
        long start = System.currentTimeMillis() + Duration.ofDays(5 * 365).toMillis();
        // The reference is created at start, on no window boundary in general: it must align on the epoch.
        AtomicLong referenceNanos = new AtomicLong();
        RateLimiter reference = InMemoryRateLimiter.create(
                policy, InstantSource.fixed(Instant.ofEpochMilli(start)), referenceNanos::get);
        long now = start;
        for (int step = 0; step < DECISIONS_PER_SEQUENCE; step++) {
            now = Math.max(start, now + randomStep(random, policy));
            int micros = random.nextInt(1_000);
            referenceNanos.set((now - start) * 1_000_000 + micros * 1_000L);
            long permits = randomPermits(random, policy.limit());
            Map<String, String> stateBefore = state(redisKey);
            long expiryBefore = target().client().pexpireTime(redisKey);

            RateLimitDecision expected = reference.tryAcquire("key", permits);
            List<?> reply = (List<?>) target().client().eval(script, List.of(redisKey), List.of(
                    Long.toString(policy.limit()), Long.toString(window), Long.toString(permits),
                    Long.toString(now / 1_000), Long.toString(now % 1_000 * 1_000 + micros)));
            RateLimitDecision actual = new RateLimitDecision(
                    Long.valueOf(1).equals(reply.get(0)), (Long) reply.get(1), Duration.ofMillis((Long) reply.get(2)));

            String where = context + ", step " + step + ", t " + now + ", permits " + permits + ", state "
                    + stateBefore;
            assertThat(actual).as(where).isEqualTo(expected);
            Map<String, String> stateAfter = state(redisKey);
            if (actual.allowed()) {
                assertThat(target().client().pexpireTime(redisKey)).as("expiry, " + where)
                        .isEqualTo(droppableFrom(policy.algorithm(), window, stateAfter));
            } else {
                assertThat(stateAfter).as("a refusal writes nothing, " + where).isEqualTo(stateBefore);
                assertThat(target().client().pexpireTime(redisKey)).as(where).isEqualTo(expiryBefore);
            }
        }
    }

    /** @return a hash's fields, or a sorted set's members with their scores */
    private Map<String, String> state(String redisKey) {
        if (!"zset".equals(target().client().type(redisKey))) {
            return target().client().hgetAll(redisKey);
        }
        Map<String, String> members = new LinkedHashMap<>();
        target().client().zrangeWithScores(redisKey, 0, -1)
                .forEach(member -> members.put(member.getElement(), Long.toString((long) member.getScore())));
        return members;
    }

    /** The time from which the package documentation says a state may be dropped. */
    private static long droppableFrom(Algorithm algorithm, long window, Map<String, String> state) {
        return switch (algorithm) {
            case FIXED_WINDOW -> (Long.parseLong(state.get("k")) + 1) * window;
            case SLIDING_WINDOW -> (Long.parseLong(state.get("k")) + 2) * window;
            case SLIDING_LOG -> state.values().stream().mapToLong(Long::parseLong).max().orElseThrow() + window;
            case TOKEN_BUCKET -> Long.parseLong(state.get("a")) + (Long.parseLong(state.get("f")) > 0 ? 1 : 0);
        };
    }

    @Test
    void shouldDropEveryStateOnceItNoLongerMatters() throws InterruptedException {
        Duration window = Duration.ofMillis(300);
        Map<Algorithm, String> redisKeys = new EnumMap<>(Algorithm.class);
        for (Algorithm algorithm : Algorithm.values()) {
            RateLimit policy = new RateLimit(algorithm, 5, window);
            String key = "expiring:" + UUID.randomUUID();
            assertThat(rateLimiter(policy).tryAcquire(key, 2).allowed()).isTrue();
            String redisKey = redisKey(key, policy);
            redisKeys.put(algorithm, redisKey);
            assertThat(target().client().pttl(redisKey)).as("ttl of the %s state; -2 if already expired", algorithm)
                    .isNotEqualTo(-1L).isLessThanOrEqualTo(window.multipliedBy(2).toMillis());
        }

        Thread.sleep(window.multipliedBy(2).plusMillis(100).toMillis());

        redisKeys.forEach((algorithm, redisKey) ->
                assertThat(target().client().exists(redisKey)).as(algorithm + " state after two windows").isFalse());
    }

    @Test
    void shouldRoundTripAKeyWithLuaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() {
        String weird = AwkwardKey.luaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8();
        String twin = AwkwardKey.escapedTwin(weird);
        for (Algorithm algorithm : Algorithm.values()) {
            RateLimit policy = new RateLimit(algorithm, 3, HOUR);
            RateLimiter limiter = rateLimiter(policy);

            assertThat(limiter.tryAcquire(weird, 2).remaining()).as(algorithm.name()).isEqualTo(1);
            assertThat(limiter.tryAcquire(twin).remaining()).as(algorithm.name()).isEqualTo(2);
            assertThat(limiter.tryAcquire(weird).remaining()).as(algorithm.name()).isZero();
            assertThat(limiter.tryAcquire(weird).allowed()).as(algorithm.name()).isFalse();
            assertThat(target().client().exists(redisKey(weird, policy))).as("the state under the exact key").isTrue();
        }
    }

    @Test
    void shouldKeepTheStatesOfDifferentPoliciesOnOneKeyApart() {
        String key = "login:" + UUID.randomUUID();
        RateLimiter perHour = rateLimiter(RateLimit.fixedWindow(2, HOUR));
        RateLimiter perDay = rateLimiter(RateLimit.fixedWindow(3, Duration.ofDays(1)));
        RateLimiter bucket = rateLimiter(RateLimit.tokenBucket(2, HOUR));

        assertThat(perHour.tryAcquire(key, 2).remaining()).isZero();
        assertThat(perHour.tryAcquire(key).allowed()).isFalse();

        assertThat(perDay.tryAcquire(key).remaining()).isEqualTo(2);
        assertThat(bucket.tryAcquire(key).remaining()).isEqualTo(1);
        assertThat(rateLimiter(RateLimit.fixedWindow(2, HOUR)).tryAcquire(key).allowed())
                .as("another instance with the same policy shares the state").isFalse();
        target().client().del(redisKey(key, RateLimit.fixedWindow(3, Duration.ofDays(1))));
    }

    @Test
    void shouldRejectABadPrefixOrMissingArguments() {
        RateLimit policy = RateLimit.fixedWindow(1, HOUR);
        assertThatThrownBy(() -> RedisRateLimiter.create(target().client(), policy, "a}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRateLimiter.create(target().client(), policy, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RedisRateLimiter.create(target().client(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RedisRateLimiter.create(null, policy)).isInstanceOf(NullPointerException.class);
        assertThat(RedisRateLimiter.create(target().client(), policy).limit()).isEqualTo(policy);
    }

    private String redisKey(String key, RateLimit policy) {
        return SlotKeys.tagged(limiterPrefix(), key) + ':' + policy.algorithm().name().toLowerCase(Locale.ROOT)
                + ':' + policy.limit() + ':' + policy.windowMillis();
    }

    /**
     * The shipped script with its one read of {@code TIME} replaced by two extra arguments, seconds and microseconds.
     */
    private static String withClockFromArguments(Algorithm algorithm) throws IOException {
        String resource = "limit-" + algorithm.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".lua";
        String text;
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String clock = "redis.call('time')";
        assertThat(text.split(Pattern.quote(clock), -1)).as("reads of TIME in " + resource).hasSize(2);
        return text.replace(clock, "{ARGV[4], ARGV[5]}");
    }

    private static RateLimit randomPolicy(Random random, Algorithm algorithm) {
        long window = WINDOWS_MILLIS[random.nextInt(WINDOWS_MILLIS.length)];
        long largestLimit = algorithm == Algorithm.SLIDING_LOG
                ? RateLimit.MAX_SLIDING_LOG_LIMIT
                : RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS / window;
        long limit = switch (random.nextInt(4)) {
            case 0 -> largestLimit;
            case 1 -> 1 + random.nextLong(largestLimit);
            default -> 1 + random.nextInt((int) Math.min(10, largestLimit));
        };
        return new RateLimit(algorithm, limit, Duration.ofMillis(window));
    }

    private static long randomPermits(Random random, long limit) {
        return switch (random.nextInt(5)) {
            case 0 -> limit;
            case 1 -> 1 + random.nextLong(limit);
            case 2 -> 1 + random.nextLong(Math.min(limit, 3));
            default -> 1;
        };
    }

    /** Mostly small steps within a window, sometimes across one or two, sometimes back. */
    private static long randomStep(Random random, RateLimit policy) {
        long window = policy.windowMillis();
        long emission = Math.max(1, window / policy.limit());
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> random.nextLong(emission + 1);
            case 2 -> -random.nextLong(window + 1); // the server's clock stepped back
            case 3 -> random.nextLong(2 * window + 1);
            case 4 -> window;
            default -> random.nextLong(Math.max(1, window / 4) + 1);
        };
    }
}
