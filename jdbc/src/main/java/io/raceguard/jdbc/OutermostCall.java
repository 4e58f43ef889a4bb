package io.raceguard.jdbc;

import java.util.OptionalLong;

/**
 * Marks the current thread as running a {@link Transactions} call, from its first attempt to its last,
 * so that a nested call is refused and the backoff can see when the call began.
 */
final class OutermostCall implements AutoCloseable {

    private static final ThreadLocal<OutermostCall> CURRENT = new ThreadLocal<>();

    private final long startedNanos;

    private OutermostCall(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    /**
     * @param startedNanos the ticker reading at the start of the call
     * @return the call, to be closed when it ends
     * @throws IllegalStateException if the current thread already runs a call
     */
    static OutermostCall enter(long startedNanos) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("Transactions calls cannot be nested: this thread already runs inside one, "
                    + "and only the outermost transaction can be retried as a whole; "
                    + "use the Handle passed to the outer callback instead");
        }
        OutermostCall call = new OutermostCall(startedNanos);
        CURRENT.set(call);
        return call;
    }

    /** @return when the current thread's call began, or empty outside a call */
    static OptionalLong startedNanos() {
        OutermostCall call = CURRENT.get();
        return call == null ? OptionalLong.empty() : OptionalLong.of(call.startedNanos);
    }

    @Override
    public void close() {
        CURRENT.remove();
    }
}
