package io.raceguard.jdbc;

import java.sql.SQLException;

/**
 * Reads one {@link SQLException}'s vendor code and SQLSTATE. Vendor codes come first: they are what
 * tells MySQL's 1205 (which Connector/J reports with SQLSTATE 40001) from a serialization failure, and
 * H2's deadlock (vendor code 40001) from PostgreSQL's serialization failure (vendor code 0). Each
 * vendor code is only trusted together with the SQLSTATE its database sends with it, which keeps
 * other databases' codes from being misread.
 */
final class VendorErrorCodes {

    private VendorErrorCodes() {}

    /** @return the failure's kind, or {@code null} when it is none of the known kinds */
    static SqlFailure classify(SQLException exception) {
        String state = exception.getSQLState() == null ? "" : exception.getSQLState();
        SqlFailure byVendorCode = classifyByVendorCode(exception.getErrorCode(), state, exception);
        return byVendorCode != null ? byVendorCode : classifyByState(state, exception);
    }

    private static SqlFailure classifyByVendorCode(int code, String state, SQLException exception) {
        boolean general = state.equals("HY000");
        switch (code) {
            case 1020: // MariaDB ER_CHECKREAD: snapshot isolation saw a concurrent change
                return general ? new SqlFailure.SerializationConflict(exception) : null;
            case 1213: // MySQL and MariaDB ER_LOCK_DEADLOCK
                return state.equals("40001") ? new SqlFailure.Deadlock(exception) : null;
            case 1205: // ER_LOCK_WAIT_TIMEOUT; Connector/J rewrites HY000 to 40001; MariaDB's NOWAIT too
                return general || state.equals("40001") ? new SqlFailure.LockTimeout(exception) : null;
            case 3572: // MySQL ER_LOCK_NOWAIT
                return general ? new SqlFailure.LockNotAvailable(exception) : null;
            case 1062: // MySQL and MariaDB ER_DUP_ENTRY
            case 1586: // MySQL ER_DUP_ENTRY_WITH_KEY_NAME
                return state.equals("23000")
                        ? new SqlFailure.UniqueViolation(DuplicateKeyNames.fromMySql(exception.getMessage()), exception)
                        : null;
            case 40001: // H2 DEADLOCK_1
                return state.equals("40001") ? new SqlFailure.Deadlock(exception) : null;
            case 50200: // H2 LOCK_TIMEOUT_1, also H2's NOWAIT refusal
                return state.equals("HYT00") ? new SqlFailure.LockTimeout(exception) : null;
            case 23505: // H2 DUPLICATE_KEY_1
                return state.equals("23505")
                        ? new SqlFailure.UniqueViolation(DuplicateKeyNames.fromH2(exception.getMessage()), exception)
                        : null;
            default:
                return null;
        }
    }

    private static SqlFailure classifyByState(String state, SQLException exception) {
        switch (state) {
            case "40001":
                return new SqlFailure.SerializationConflict(exception);
            case "40P01":
                return new SqlFailure.Deadlock(exception);
            case "55P03":
                return PostgresServerErrors.isLockTimeout(exception)
                        ? new SqlFailure.LockTimeout(exception)
                        : new SqlFailure.LockNotAvailable(exception);
            case "23505":
                return new SqlFailure.UniqueViolation(PostgresServerErrors.constraint(exception), exception);
            default:
                return null;
        }
    }
}
