package io.raceguard.limit;

/**
 * Step 1 of both window algorithms in the package documentation: the window a time falls in, windows
 * being aligned on multiples of their length.
 *
 * @param index {@code floor(time / window)}
 * @param time the time in milliseconds
 */
record AlignedWindow(long index, long time) {

    /** A per-key state of a window algorithm. */
    interface Counted {
        /** @return the index of the window the state counted in */
        long index();
    }

    /**
     * @param now the current time in milliseconds
     * @param window the window length in milliseconds
     * @param state the key's state, or {@code null}
     * @return the window {@code now} falls in; or, if the store's clock stepped back behind the state's
     *     window, the start of that window, so that counting goes on where it was
     */
    static AlignedWindow of(long now, long window, Counted state) {
        long index = Math.floorDiv(now, window);
        if (state != null && state.index() > index) {
            return new AlignedWindow(state.index(), state.index() * window);
        }
        return new AlignedWindow(index, now);
    }
}
