package io.raceguard.limit;

/**
 * The sliding-window-counter arithmetic of the package documentation: the current window's count
 * plus the previous window's count weighted by the part of it still inside the last window, compared
 * exactly, never rounded. Immutable and thread-safe.
 */
final class SlidingWindow implements LimitAlgorithm<SlidingWindow.State> {

    /**
     * @param index the current window, {@code floor(now / window)}
     * @param count the permits granted in it
     * @param previousCount the permits granted in window {@code index - 1}
     */
    record State(long index, long count, long previousCount) implements AlignedWindow.Counted {}

    private final long limit;
    private final long window;

    SlidingWindow(long limit, long windowMillis) {
        this.limit = limit;
        this.window = windowMillis;
    }

    @Override
    public StateTransition<State> decide(State state, long now, long permits) {
        AlignedWindow current = AlignedWindow.of(now, window, state);
        long index = current.index();
        long count = 0;
        long previous = 0;
        if (state != null && state.index() == index) {
            count = state.count();
            previous = state.previousCount();
        } else if (state != null && state.index() == index - 1) {
            previous = state.count();
        }
        long overlap = window - (current.time() - index * window);
        // The estimate count + previous * overlap / window, scaled by window to stay in integers.
        long weightedPrevious = previous * overlap;
        if (count <= limit - permits && weightedPrevious <= (limit - count - permits) * window) {
            long granted = count + permits;
            return StateTransition.allowed(new State(index, granted, previous), remaining(granted, weightedPrevious));
        }
        return StateTransition.refused(
                state, remaining(count, weightedPrevious), retryAfter(count, previous, overlap, permits));
    }

    private long remaining(long count, long weightedPrevious) {
        return Math.max(0, (limit - count) * window - weightedPrevious) / window;
    }

    private long retryAfter(long count, long previous, long overlap, long permits) {
        long spare = limit - count - permits;
        if (spare >= 0) {
            // Only the previous window's weight is in the way: wait until it has slid out far enough.
            return overlap - spare * window / previous;
        }
        // This window alone is too full: wait into the next one, where this count is the previous.
        return overlap + window - (limit - permits) * window / count;
    }

    @Override
    public long expiresAt(State state) {
        return (state.index() + 2) * window;
    }
}
