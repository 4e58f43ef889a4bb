package io.raceguard.jdbc;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Everything attached to a failure, each throwable once even when the chain has cycles, depth first:
 * a throwable, then its {@linkplain SQLException#getNextException() next exceptions}, then its cause,
 * then its suppressed exceptions.
 */
final class FailureChain {

    private FailureChain() {}

    static List<Throwable> of(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        List<Throwable> visited = new ArrayList<>();
        pending.push(failure);
        while (!pending.isEmpty()) {
            Throwable current = pending.pop();
            if (seen.add(current)) {
                visited.add(current);
                pushAttached(current, pending);
            }
        }
        return visited;
    }

    /** Pushes in reverse so that next exceptions pop first, then the cause, then suppressed ones. */
    private static void pushAttached(Throwable current, Deque<Throwable> pending) {
        Throwable[] suppressed = current.getSuppressed();
        for (int i = suppressed.length - 1; i >= 0; i--) {
            pending.push(suppressed[i]);
        }
        if (current.getCause() != null) {
            pending.push(current.getCause());
        }
        if (current instanceof SQLException sqlException && sqlException.getNextException() != null) {
            pending.push(sqlException.getNextException());
        }
    }
}
