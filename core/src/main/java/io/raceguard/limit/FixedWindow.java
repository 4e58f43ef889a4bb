package io.raceguard.limit;

/**
 * The fixed-window arithmetic of the package documentation: one count per window aligned on
 * {@code floor(now / window)}. Immutable and thread-safe.
 */
final class FixedWindow implements LimitAlgorithm<FixedWindow.State> {

    /**
     * @param index the window that counted, {@code floor(now / window)}
     * @param count the permits granted in it
     */
    record State(long index, long count) implements AlignedWindow.Counted {}

    private final long limit;
    private final long window;

    FixedWindow(long limit, long windowMillis) {
        this.limit = limit;
        this.window = windowMillis;
    }

    @Override
    public StateTransition<State> decide(State state, long now, long permits) {
        AlignedWindow current = AlignedWindow.of(now, window, state);
        long count = state != null && state.index() == current.index() ? state.count() : 0;
        if (count <= limit - permits) {
            long granted = count + permits;
            return StateTransition.allowed(new State(current.index(), granted), limit - granted);
        }
        return StateTransition.refused(state, limit - count, (current.index() + 1) * window - current.time());
    }

    @Override
    public long expiresAt(State state) {
        return (state.index() + 1) * window;
    }
}
