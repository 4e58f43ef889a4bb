package io.raceguard.redis;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Wakes lock waiters when the lock they wait for is released: one pub/sub subscription per lock
 * manager, opened by the first waiter, on the channel that {@code lock-release.lua} publishes to.
 *
 * <p>Each message wakes one waiter of its key (the longest waiting), not all of them: one release
 * frees one lock, so only one waiter can take it; the others stay bounded by their backoff.
 *
 * <p>No release is missed in the gap between a failed acquire attempt and the wait that follows it:
 * <ol>
 *   <li>{@link #beforeAttempt} notes, on the attempting thread, how many messages had arrived;
 *   <li>the wait registers a latch for the key, then looks whether a message for the key (or for
 *       another key hashed alike, which only costs an early return) or a change of the subscription
 *       arrived since that note, and returns at once if so; a later message finds the latch. A
 *       release that matters came after the attempt found the key held, so its message counts after
 *       the note;
 *   <li>otherwise it waits for the message, at most the given time (a lock that expires instead of
 *       being released sends nothing, so the caller's backoff still bounds the wait).
 * </ol>
 * A wait with no note for its key from this thread (a direct call, not after an attempt) checks with
 * {@code EXISTS} instead, after registering, that the lock is still held.
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
    /** Power of two: how many slots {@link #lastMessage} hashes keys into. */
    private static final int MESSAGE_SLOTS = 256;

    private final UnifiedJedis client;
    private final String channel;
    private final ConcurrentHashMap<String, List<CountDownLatch>> waiters = new ConcurrentHashMap<>();
    /** Counts messages and subscription changes; the sequence every note and slot is compared on. */
    private final AtomicLong events = new AtomicLong();
    /** Per slot of keys, the {@link #events} count of the last message for a key in it. */
    private final AtomicLongArray lastMessage = new AtomicLongArray(MESSAGE_SLOTS);
    /** The {@link #events} count of the last change of the subscription's state. */
    private volatile long lastStateChange;
    private final ThreadLocal<AttemptNote> notes = ThreadLocal.withInitial(AttemptNote::new);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Subscription subscription;
    private final Object lifecycle = new Object();
    @GuardedBy("lifecycle")
    private Thread thread;
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
     * Notes, for this thread, that it is about to try to take {@code key}, so that a following
     * {@link #await} of the same key sees any release after this point without asking Redis.
     *
     * @param key the caller's lock key
     */
    void beforeAttempt(String key) {
        AttemptNote note = notes.get();
        note.key = key;
        note.events = events.get();
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
        AttemptNote note = notes.get();
        boolean noted = key.equals(note.key);
        long notedEvents = note.events;
        note.key = null; // one note serves one wait
        CountDownLatch released = register(key);
        try {
            boolean held = noted ? !eventsSince(key, notedEvents) : stillHeld(lockKey);
            if (held) {
                released.await(maxWait.toNanos(), NANOSECONDS);
            }
        } finally {
            unregister(key, released);
        }
    }

    private boolean eventsSince(String key, long notedEvents) {
        return lastStateChange > notedEvents || lastMessage.get(slot(key)) > notedEvents;
    }

    private static int slot(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (MESSAGE_SLOTS - 1);
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

    /** Records a message for {@code key} (before waking, so a waiter registering meanwhile sees it). */
    private void released(String key) {
        lastMessage.set(slot(key), events.incrementAndGet());
        waiters.computeIfPresent(key, (k, latches) -> {
            latches.remove(0).countDown();
            return latches.isEmpty() ? null : latches;
        });
    }

    /** Records a change of the subscription (before waking) and wakes every waiter. */
    private void stateChanged() {
        lastStateChange = events.incrementAndGet();
        waiters.keySet().forEach(key -> {
            List<CountDownLatch> latches = waiters.remove(key);
            if (latches != null) {
                latches.forEach(CountDownLatch::countDown);
            }
        });
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
                stateChanged();
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
            stateChanged();
        }

        @Override
        public void onMessage(String fromChannel, String key) {
            released(key);
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

    /** What {@link #beforeAttempt} noted on one thread; confined to that thread. */
    private static final class AttemptNote {
        private String key;
        private long events;
    }
}
