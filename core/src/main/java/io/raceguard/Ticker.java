package io.raceguard;

/**
 * A source of monotonic nanoseconds, the time base of every in-process deadline and of the
 * in-memory backends. Injected so that tests can move time; production code uses {@link #system()}.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** @return a monotonic reading in nanoseconds; only differences between readings are meaningful */
    long read();

    /** @return the ticker backed by {@link System#nanoTime()} */
    static Ticker system() {
        return System::nanoTime;
    }
}
