package io.raceguard.benchmarks;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The floor: the least a correct single-Redis lock can send, written by hand. Acquire is
 * {@code SET key token NX PX ttl}; release is a compare-and-delete script by {@code EVALSHA}. No
 * fencing token, no waiting: it serves only the uncontended suite, where a busy key is a bug.
 */
final class JedisFloorLockSubject implements LockSubject {

    private static final String COMPARE_AND_DELETE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final Long FREED = 1L;

    private final RedisClient client;
    private final String keyPrefix;
    private final SetParams acquire = SetParams.setParams().nx().px(TTL.toMillis());
    private final String releaseSha;

    JedisFloorLockSubject(String keyPrefix, int threads) {
        this.client = BenchmarkServices.redisClient(threads);
        this.keyPrefix = keyPrefix;
        this.releaseSha = client.scriptLoad(COMPARE_AND_DELETE);
    }

    @Override
    public void acquireAndRelease(String key) {
        String lockKey = keyPrefix + key;
        String owner = ownerToken();
        if (!"OK".equals(client.set(lockKey, owner, acquire))) {
            throw new IllegalStateException("the floor found its key busy: the keys are not distinct");
        }
        if (!FREED.equals(client.evalsha(releaseSha, List.of(lockKey), List.of(owner)))) {
            throw new IllegalStateException("the floor could not release its own lock");
        }
    }

    /** 128 random bits in hex, as long as Raceguard's owner tokens. */
    private static String ownerToken() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    @Override
    public void close() {
        client.close();
    }
}
