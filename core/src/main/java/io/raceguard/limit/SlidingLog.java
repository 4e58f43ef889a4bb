package io.raceguard.limit;

import java.util.Arrays;

/**
 * The sliding-log arithmetic of the package documentation: the time of every permit granted in the
 * last window, so that every rolling window holds at most the limit, exactly. Immutable and
 * thread-safe.
 */
final class SlidingLog implements LimitAlgorithm<SlidingLog.State> {

    /**
     * The times of the permits granted, one entry per permit, in ascending order; never more than the
     * limit, and never empty.
     */
    static final class State {

        private final long[] times;

        State(long[] times) {
            this.times = times;
        }

        long newest() {
            return times[times.length - 1];
        }

        /** @return the number of entries, the memory the state holds */
        int size() {
            return times.length;
        }
    }

    private final long limit;
    private final long window;

    SlidingLog(long limit, long windowMillis) {
        this.limit = limit;
        this.window = windowMillis;
    }

    @Override
    public StateTransition<State> decide(State state, long now, long permits) {
        long[] times = state == null ? new long[0] : state.times;
        long time = state == null ? now : Math.max(now, state.newest());
        int firstLive = firstAfter(times, time - window);
        long live = times.length - firstLive;
        if (live <= limit - permits) {
            long[] next = Arrays.copyOfRange(times, firstLive, times.length + (int) permits);
            Arrays.fill(next, (int) live, next.length, time);
            return StateTransition.allowed(new State(next), limit - live - permits);
        }
        // The (live + permits - limit)-th oldest live entry must leave the window first.
        long blocking = times[firstLive + (int) (live + permits - limit) - 1];
        return StateTransition.refused(state, limit - live, blocking + window - time);
    }

    /** @return the index of the first entry after {@code bound}, or the length if there is none */
    private static int firstAfter(long[] times, long bound) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (times[middle] <= bound) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    @Override
    public long expiresAt(State state) {
        return state.newest() + window;
    }
}
