package io.raceguard.jdbc;

import java.sql.SQLException;

/** Returns the first failure of a known kind in a failure's chain. */
final class FailureChainClassifier {

    private FailureChainClassifier() {}

    static SqlFailure classify(Throwable failure) {
        SqlFailure.UniqueViolation unnamedDuplicate = null;
        for (Throwable current : FailureChain.of(failure)) {
            if (!(current instanceof SQLException sqlException)) {
                continue;
            }
            SqlFailure known = VendorErrorCodes.classify(sqlException);
            if (known instanceof SqlFailure.UniqueViolation duplicate) {
                if (!duplicate.constraint().isEmpty()) {
                    return duplicate;
                }
                // A batch wrapper often repeats the code without the driver's details; the entry it
                // wraps may still name the constraint, so keep looking for that one only.
                if (unnamedDuplicate == null) {
                    unnamedDuplicate = duplicate;
                }
            } else if (known != null && unnamedDuplicate == null) {
                return known;
            }
        }
        return unnamedDuplicate != null ? unnamedDuplicate : new SqlFailure.Other(failure);
    }
}
