package io.raceguard.lock;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.raceguard.Ticker;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of one lock manager that wait for a busy key, in one line per key, in arrival order.
 * Only the first in line asks the store; the others park until it leaves. A release through the
 * same manager wakes the first in line at once, so on a key contended inside one process each waiter
 * waits for the ones that arrived before it, not for a lucky draw of backoff. A key has a line only
 * while threads wait on it. Thread-safe.
 */
final class WaitingLines {

    private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();

    /** @return whether threads wait for the key; a new arrival then joins them instead of trying first */
    boolean hasWaiters(String key) {
        return lines.containsKey(key);
    }

    /** Puts the calling thread at the end of the key's line. */
    Line join(String key) {
        Thread waiter = Thread.currentThread();
        return lines.compute(key, (k, current) -> {
            Line line = current == null ? new Line() : current;
            line.add(waiter);
            return line;
        });
    }

    /** Takes the calling thread out of the key's line and wakes the next first in line, if any. */
    void leave(String key, Line line) {
        Thread waiter = Thread.currentThread();
        lines.computeIfPresent(key, (k, current) -> current != line || line.remove(waiter) ? current : null);
    }

    /** Tells the key's waiters that a lease of this manager released it. Cheap when nobody waits. */
    void released(String key) {
        Line line = lines.get(key);
        if (line != null) {
            line.released();
        }
    }

    /** @return how many keys have waiters; for tests of the memory bound */
    int waitedKeys() {
        return lines.size();
    }

    /** The waiters of one key. */
    static final class Line {
        @GuardedBy("this")
        private final ArrayDeque<Thread> waiters = new ArrayDeque<>(4);
        /** How many releases through this manager the line has seen. */
        @GuardedBy("this")
        private long releases;
        /** Whether the key was last taken by a waiter of this line and not yet released. */
        @GuardedBy("this")
        private boolean heldHere;

        private synchronized void add(Thread waiter) {
            waiters.addLast(waiter);
        }

        /** @return whether threads remain in line */
        private boolean remove(Thread waiter) {
            Thread first;
            synchronized (this) {
                waiters.remove(waiter);
                first = waiters.peekFirst();
            }
            if (first != null) {
                LockSupport.unpark(first);
            }
            return first != null;
        }

        private void released() {
            Thread first;
            synchronized (this) {
                releases++;
                heldHere = false;
                first = waiters.peekFirst();
            }
            if (first != null) {
                LockSupport.unpark(first);
            }
        }

        /**
         * Parks the calling thread until it is first in line.
         *
         * @param deadline the ticker reading at which to give up
         * @return whether it is first; false if the deadline came first
         * @throws InterruptedException if interrupted while parked
         */
        boolean awaitTurn(Ticker ticker, long deadline) throws InterruptedException {
            Thread waiter = Thread.currentThread();
            while (true) {
                synchronized (this) {
                    if (waiters.peekFirst() == waiter) {
                        return true;
                    }
                }
                long left = deadline - ticker.read();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting in line for a lock");
                }
            }
        }

        /** @return whether {@code waiter} is first in line */
        synchronized boolean isFirst(Thread waiter) {
            return waiters.peekFirst() == waiter;
        }

        /** @return the count of releases so far, to pass to {@link #awaitRelease} after an attempt */
        synchronized long releases() {
            return releases;
        }

        /** Notes that the first in line took the key, so that the next one waits for its release here. */
        synchronized void took() {
            heldHere = true;
        }

        /**
         * If the key is held by a lease of this manager, parks until its release, at most {@code
         * pauseNanos} (the store may have expired it meanwhile).
         *
         * @param seen {@link #releases()} before the failed attempt, so no release after it is missed
         * @param pauseNanos the longest wait
         * @return false, at once, if the key is not known to be held here: the caller waits on the store
         * @throws InterruptedException if interrupted while parked
         */
        boolean awaitRelease(long seen, long pauseNanos) throws InterruptedException {
            synchronized (this) {
                if (releases != seen) {
                    return true;
                }
                if (!heldHere) {
                    return false;
                }
            }
            long deadline = System.nanoTime() + pauseNanos;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for a lock");
                }
                synchronized (this) {
                    if (releases != seen) {
                        return true;
                    }
                }
            }
        }
    }
}
