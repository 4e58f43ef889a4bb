package io.raceguard.jdbc;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/** Walks everything attached to a failure and returns the first failure of a known kind. */
final class FailureChainClassifier {

    private FailureChainClassifier() {}

    static SqlFailure classify(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.push(failure);
        SqlFailure.UniqueViolation unnamedDuplicate = null;
        while (!pending.isEmpty()) {
            Throwable current = pending.pop();
            if (!seen.add(current)) {
                continue;
            }
            if (current instanceof SQLException sqlException) {
                SqlFailure known = VendorErrorCodes.classify(sqlException);
                if (known instanceof SqlFailure.UniqueViolation duplicate) {
                    if (!duplicate.constraint().isEmpty()) {
                        return duplicate;
                    }
                    // A batch wrapper often repeats the code without the driver's details; the entry
                    // it wraps may still name the constraint, so keep looking for that one only.
                    if (unnamedDuplicate == null) {
                        unnamedDuplicate = duplicate;
                    }
                } else if (known != null && unnamedDuplicate == null) {
                    return known;
                }
            }
            pushAttached(current, pending);
        }
        return unnamedDuplicate != null ? unnamedDuplicate : new SqlFailure.Other(failure);
    }

    /** Pushes in reverse so that next exceptions are visited first, then the cause, then suppressed. */
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
