package io.raceguard.benchmarks;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisLocks;
import redis.clients.jedis.RedisClient;

/** The subject: {@link RedisLocks} with its default backoff, optionally woken by release notifications. */
final class RaceguardLockSubject implements LockSubject {

    private static final LeaseOptions OPTIONS = LeaseOptions.ttl(TTL).waitUpTo(MAX_WAIT);

    private final RedisClient client;
    private final LockManager locks;

    RaceguardLockSubject(String keyPrefix, int threads, boolean releaseNotifications) {
        // one more connection for the release subscription
        client = BenchmarkServices.redisClient(threads + 1);
        locks = RedisLocks.builder(client).keyPrefix(keyPrefix).releaseNotifications(releaseNotifications).build();
    }

    @Override
    public void acquireAndRelease(String key) throws InterruptedException {
        Lease lease = locks.acquire(key, OPTIONS);
        lease.release();
    }

    @Override
    public void close() {
        try {
            locks.close();
        } finally {
            client.close();
        }
    }
}
