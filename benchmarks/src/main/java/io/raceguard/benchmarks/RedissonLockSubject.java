package io.raceguard.benchmarks;

import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Baseline: Redisson's {@link RLock} with a lease time, so no watchdog renews it, released by
 * {@code unlock()}. Waiters wake on Redisson's release message. {@code lockInterruptibly(leaseTime)}
 * is {@code lock(leaseTime)} that JMH can still interrupt at the end of an iteration.
 */
final class RedissonLockSubject implements LockSubject {

    private final RedissonClient redisson;
    private final String keyPrefix;

    RedissonLockSubject(String keyPrefix, int threads) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(BenchmarkServices.redisUri().toString())
                .setConnectionPoolSize(Math.max(threads, 8))
                .setConnectionMinimumIdleSize(threads);
        this.redisson = Redisson.create(config);
        this.keyPrefix = keyPrefix;
    }

    @Override
    public void acquireAndRelease(String key) throws InterruptedException {
        RLock lock = redisson.getLock(keyPrefix + key);
        lock.lockInterruptibly(TTL.toMillis(), TimeUnit.MILLISECONDS);
        lock.unlock();
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
