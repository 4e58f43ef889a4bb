package io.raceguard.benchmarks;

import java.time.Duration;

/**
 * One way of taking a Redis lock and giving it back, as the lock suites compare them. Thread-safe:
 * one subject serves every benchmark thread.
 */
interface LockSubject extends AutoCloseable {

    /** How long the server keeps a lock; far longer than any critical section here. */
    Duration TTL = Duration.ofSeconds(10);
    /** How long a waiter may wait; a wait this long means the suite is broken, not slow. */
    Duration MAX_WAIT = Duration.ofSeconds(30);

    /**
     * Takes the lock on {@code key}, waiting while another holder has it, then releases it.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the lock could not be taken or released as expected
     */
    void acquireAndRelease(String key) throws InterruptedException;

    /** Closes the subject's clients and threads. */
    @Override
    void close();

    /**
     * @param impl {@code raceguard}, {@code jedis-floor} or {@code redisson}
     * @param keyPrefix the prefix of every key the subject writes
     * @param threads how many threads will call at once
     * @param releaseNotifications for {@code raceguard}: whether waiters wake on a published release
     * @return the subject, connected
     */
    static LockSubject open(String impl, String keyPrefix, int threads, boolean releaseNotifications) {
        return switch (impl) {
            case "raceguard" -> new RaceguardLockSubject(keyPrefix, threads, releaseNotifications);
            case "jedis-floor" -> new JedisFloorLockSubject(keyPrefix, threads);
            case "redisson" -> new RedissonLockSubject(keyPrefix, threads);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }
}
