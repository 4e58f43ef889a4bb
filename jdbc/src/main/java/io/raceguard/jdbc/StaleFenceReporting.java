package io.raceguard.jdbc;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.internal.Events;
import org.jdbi.v3.core.Handle;

/** A fenced write that reports each refusal of a stale fencing token; immutable and thread-safe. */
final class StaleFenceReporting<T> implements GuardedUpdates.Change<T> {

    private final GuardedUpdates.Change<T> fencedWrite;
    private final Events events;

    private StaleFenceReporting(GuardedUpdates.Change<T> fencedWrite, Events events) {
        this.fencedWrite = fencedWrite;
        this.events = events;
    }

    /** @return {@code fencedWrite} itself when nobody listens, else it reporting to {@code events} */
    static <T> GuardedUpdates.Change<T> of(GuardedUpdates.Change<T> fencedWrite, Events events) {
        return events.listening() ? new StaleFenceReporting<>(fencedWrite, events) : fencedWrite;
    }

    @Override
    public Outcome<T> apply(Handle handle, Object key) {
        Outcome<T> outcome = fencedWrite.apply(handle, key);
        if (!outcome.isApplied() && outcome.rejection() == Rejection.STALE_FENCE) {
            events.staleFenceRefused();
        }
        return outcome;
    }
}
