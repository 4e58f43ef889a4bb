package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A value computed by the first caller and shared with every later one.
 *
 * <p>Thread-safe: callers that arrive while the first computes wait for it, so the computation
 * runs at most once unless it throws, in which case the next caller tries again.
 */
final class Once<T> implements Supplier<T> {

    private final Supplier<? extends T> computation;
    private T value;

    Once(Supplier<? extends T> computation) {
        this.computation = requireNonNull(computation, "computation");
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = requireNonNull(computation.get(), "computed value");
        }
        return value;
    }
}
