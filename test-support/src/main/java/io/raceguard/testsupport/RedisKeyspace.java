package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A key prefix on a shared Redis server that belongs to one test class. Build every key with
 * {@link #key(String)}; {@link #close()} deletes every key under the prefix.
 *
 * <p>The prefix is {@code rg_<class>_<8 hex digits>:}, made only of {@code [a-z0-9_:]}, so it holds
 * no glob metacharacter and can be matched with {@code SCAN MATCH prefix*} as it is. Keys are found
 * with {@code SCAN}, never {@code KEYS}, which would block a server other tests are using.
 *
 * <p>Thread-safe; each scan uses its own connection. {@code close} sweeps exactly once however many
 * threads call it. A key written by another thread while the sweep runs may survive it.
 */
public final class RedisKeyspace implements AutoCloseable {

    private static final int SCAN_BATCH = 500;

    private final RedisService server;
    private final String prefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisKeyspace(RedisService server, String prefix) {
        this.server = requireNonNull(server, "server");
        this.prefix = requireNonNull(prefix, "prefix");
    }

    /** @return the prefix every key of this keyspace starts with; it ends in {@code :} */
    public String prefix() {
        return prefix;
    }

    /**
     * @param suffix the rest of the key, any string
     * @return {@code prefix() + suffix}
     * @throws NullPointerException if {@code suffix} is null
     */
    public String key(String suffix) {
        return prefix + requireNonNull(suffix, "suffix");
    }

    /**
     * @return the keys under the prefix that exist now, each once, in no particular order
     * @throws redis.clients.jedis.exceptions.JedisException if the server cannot be reached
     */
    public List<String> remainingKeys() {
        Set<String> keys = new LinkedHashSet<>();
        try (Jedis jedis = server.connect()) {
            forEachBatch(jedis, keys::addAll);
        }
        return new ArrayList<>(keys);
    }

    /**
     * Deletes every key under the prefix, batch by batch ({@code SCAN} then {@code UNLINK}). Only the
     * first call does anything.
     *
     * @throws redis.clients.jedis.exceptions.JedisException if the server cannot be reached; some
     *     keys may then remain
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Jedis jedis = server.connect()) {
                forEachBatch(jedis, batch -> jedis.unlink(batch.toArray(String[]::new)));
            }
        }
    }

    @Override
    public String toString() {
        return "RedisKeyspace[" + prefix + "* on " + server.uri() + "]";
    }

    private void forEachBatch(Jedis jedis, java.util.function.Consumer<List<String>> action) {
        ScanParams params = new ScanParams().match(prefix + "*").count(SCAN_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                action.accept(page.getResult());
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
