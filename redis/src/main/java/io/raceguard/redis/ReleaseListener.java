package io.raceguard.redis;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Wakes lock waiters when the lock they wait for is released: one pub/sub subscription per lock
 * manager, opened by the first waiter, on the channel that {@code lock-release.lua} publishes to.
 *
 * <p>Waiting on a key works in three steps:
 * <ol>
 *   <li>register a latch for the key;
 *   <li>check with {@code EXISTS} that the lock is still held, and return at once if not: a release
 *       that happened before step 1 is seen here, one after step 1 arrives as a message;
 *   <li>wait for the message, at most the given time (a lock that expires instead of being released
 *       sends nothing, so the caller's backoff still bounds the wait).
 * </ol>
 * While the subscription is down (not yet open, or reconnecting after a fault) waiters simply sleep,
 * and every change of its state wakes them all, so a lost message costs at most one backoff step.
 *
 * <p>Thread-safe. {@link #close()} ends the subscription and joins its thread.
 */
final class ReleaseListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseListener.class);
    private static final long FIRST_RECONNECT_DELAY_MILLIS = 10;
    private static final long MAX_RECONNECT_DELAY_MILLIS = 1_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final UnifiedJedis client;
    private final String channel;
    private final ConcurrentHashMap<String, List<CountDownLatch>> waiters = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Subscription subscription;
    private final Object lifecycle = new Object();
    private Thread thread; // guarded by lifecycle
    private volatile boolean started;
    private volatile boolean subscribed;
    private volatile boolean closed;

    ReleaseListener(UnifiedJedis client, String channel) {
        this.client = client;
        this.channel = channel;
    }

    /** @return the channel that releases are published to */
    String channel() {
        return channel;
    }

    /**
     * Waits until the lock may have been released, at most {@code maxWait}.
     *
     * @param key the caller's lock key, as published on release
     * @param lockKey the Redis key of the lock
     * @param maxWait the longest wait
     * @throws InterruptedException if interrupted while waiting
     */
    void await(String key, String lockKey, Duration maxWait) throws InterruptedException {
        startOnce();
        if (!subscribed) {
            NANOSECONDS.sleep(maxWait.toNanos());
            return;
        }
        CountDownLatch released = register(key);
        try {
            if (stillHeld(lockKey)) {
                released.await(maxWait.toNanos(), NANOSECONDS);
            }
        } finally {
            unregister(key, released);
        }
    }

    private boolean stillHeld(String lockKey) {
        try {
            return client.exists(lockKey);
        } catch (JedisException e) {
            // Let the next acquire attempt meet the fault and report it.
            return false;
        }
    }

    private CountDownLatch register(String key) {
        CountDownLatch latch = new CountDownLatch(1);
        waiters.compute(key, (k, latches) -> {
            List<CountDownLatch> list = latches == null ? new ArrayList<>(2) : latches;
            list.add(latch);
            return list;
        });
        return latch;
    }

    private void unregister(String key, CountDownLatch latch) {
        waiters.computeIfPresent(key, (k, latches) -> {
            latches.remove(latch);
            return latches.isEmpty() ? null : latches;
        });
    }

    private void wake(String key) {
        List<CountDownLatch> latches = waiters.remove(key);
        if (latches != null) {
            latches.forEach(CountDownLatch::countDown);
        }
    }

    private void wakeAll() {
        waiters.keySet().forEach(this::wake);
    }

    private void startOnce() {
        if (started) {
            return;
        }
        synchronized (lifecycle) {
            if (!started && !closed) {
                thread = new Thread(this::listen, "raceguard-redis-lock-releases");
                thread.setDaemon(true);
                thread.start();
                started = true;
            }
        }
    }

    private void listen() {
        long reconnectDelay = FIRST_RECONNECT_DELAY_MILLIS;
        while (!closed) {
            Subscription fresh = new Subscription();
            subscription = fresh;
            try {
                client.subscribe(fresh, channel);
                reconnectDelay = FIRST_RECONNECT_DELAY_MILLIS;
            } catch (JedisException e) {
                log.debug("lock release subscription failed; waiters fall back to backoff", e);
            } finally {
                subscribed = false;
                wakeAll();
            }
            if (closed) {
                return;
            }
            try {
                if (closing.await(reconnectDelay, MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_DELAY_MILLIS);
        }
    }

    /** Ends the subscription and waits (boundedly) for its thread to finish. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (lifecycle) {
            closed = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        Subscription current = subscription;
        if (current != null) {
            current.endIfConfirmed();
        }
        // Never interrupt the thread: Jedis ends its read loop on an interrupt with replies still
        // unread, and the connection would go back to the client's pool carrying them.
        closing.countDown();
        try {
            running.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            log.warn("the lock release subscription did not stop within {} ms", CLOSE_TIMEOUT_MILLIS);
        }
    }

    /**
     * One subscription attempt. Exactly one {@code UNSUBSCRIBE} is ever sent, and only after Redis
     * confirmed the {@code SUBSCRIBE}, so the connection goes back to the client's pool with no reply
     * left unread on it.
     */
    private final class Subscription extends JedisPubSub {
        private volatile boolean confirmed;
        private final AtomicBoolean ending = new AtomicBoolean();

        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            confirmed = true;
            if (closed) {
                end();
                return;
            }
            subscribed = true;
            wakeAll();
        }

        @Override
        public void onMessage(String fromChannel, String key) {
            wake(key);
        }

        /** Called by {@link #close()} after it set {@code closed}; {@link #onSubscribe} covers the rest. */
        void endIfConfirmed() {
            if (confirmed) {
                end();
            }
        }

        private void end() {
            if (ending.compareAndSet(false, true)) {
                try {
                    unsubscribe();
                } catch (JedisException e) {
                    log.debug("ending the lock release subscription failed; its connection is dropped", e);
                }
            }
        }
    }
}
