package io.raceguard.examples.shop;

import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/login user=alice&password=P}: 200 logged in, 401 wrong user or password, 429
 * after {@value #ATTEMPTS_PER_MINUTE} attempts per user per minute. The one account is
 * {@code alice}, password {@value #ALICE_PASSWORD}.
 */
final class Logins implements Endpoint {

    /** The attempts a user gets per minute. */
    static final int ATTEMPTS_PER_MINUTE = 5;

    /** The password of the shop's one account, {@code alice}. */
    static final String ALICE_PASSWORD = "wonderland";

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final RateLimiter limiter;
    private final ResetGeneration generation;
    private final SimulatedCall passwordHash;
    private final Clock clock;

    Logins(Jdbi jdbi, GuardStores stores, ResetGeneration generation, SimulatedCall passwordHash, Clock clock) {
        this.jdbi = jdbi;
        this.limiter = stores.rateLimiter(RateLimit.slidingWindow(ATTEMPTS_PER_MINUTE, WINDOW));
        this.generation = generation;
        this.passwordHash = passwordHash;
        this.clock = clock;
    }

    @Override
    public String path() {
        return "/login";
    }

    /**
     * Counts the user's attempts in the last minute, verifies the password (slow, by design), then
     * records the attempt: every request counts the attempts before any of them is recorded.
     */
    @Override
    public Reply naive(ShopRequest request) {
        String user = request.form().text("user");
        String password = request.form().text("password");
        long now = clock.millis();
        long recent = jdbi.withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM naive_login_attempts"
                        + " WHERE username = :user AND attempted_at_ms > :since")
                .bind("user", user)
                .bind("since", now - WINDOW.toMillis())
                .mapTo(Long.class)
                .one());
        if (recent >= ATTEMPTS_PER_MINUTE) {
            return Reply.error(429, "too many attempts");
        }
        boolean correct = verify(user, password);
        recordAttempt(Mode.NAIVE, user, now);
        return answer(user, correct);
    }

    /** The limiter counts and decides in one atomic step, before the password is looked at. */
    @Override
    public Reply guarded(ShopRequest request) {
        String user = request.form().text("user");
        String password = request.form().text("password");
        RateLimitDecision decision = limiter.tryAcquire("login:" + generation.current() + ":" + user);
        if (!decision.allowed()) {
            long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
            return Reply.of(429, Json.object().put("error", "too many attempts").put("retry_after_seconds", seconds))
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        recordAttempt(Mode.GUARDED, user, clock.millis());
        return answer(user, verify(user, password));
    }

    private boolean verify(String user, String password) {
        passwordHash.run();
        return user.equals("alice") && MessageDigest.isEqual(
                password.getBytes(StandardCharsets.UTF_8), ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8));
    }

    private void recordAttempt(Mode mode, String user, long atMillis) {
        jdbi.useHandle(handle -> handle
                .createUpdate("INSERT INTO " + mode.table("login_attempts")
                        + " (username, attempted_at_ms) VALUES (:user, :at)")
                .bind("user", user)
                .bind("at", atMillis)
                .execute());
    }

    private static Reply answer(String user, boolean correct) {
        return correct
                ? Reply.of(200, Json.object().put("logged_in", true).put("user", user))
                : Reply.error(401, "wrong user or password");
    }
}
