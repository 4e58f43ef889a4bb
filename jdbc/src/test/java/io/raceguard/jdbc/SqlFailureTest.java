package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The walking logic and the vendor-code table on hand-built exceptions; {@link SqlFailureOnRealErrorsTest}
 * covers the same kinds on errors the databases really raise.
 */
final class SqlFailureTest {

    @Test
    void shouldFindAFailureInTheCauseChain() {
        SQLException conflict = new SQLException("could not serialize access", "40001");

        SqlFailure classified = SqlFailure.classify(new IllegalStateException("wrapper",
                new RuntimeException(conflict)));

        assertThat(classified).isEqualTo(new SqlFailure.SerializationConflict(conflict));
    }

    @Test
    void shouldFindAFailureAmongNextExceptions() {
        SQLException first = new SQLException("batch entry failed", "XX000");
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        first.setNextException(new SQLException("unrelated", "42000"));
        first.setNextException(deadlock);

        assertThat(SqlFailure.classify(first)).isEqualTo(new SqlFailure.Deadlock(deadlock));
    }

    @Test
    void shouldPreferTheNamedDuplicateBehindABatchExceptionThatRepeatsTheCodeWithoutTheName() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 1 was aborted", "23505", new int[0]);
        SQLException entry = new SQLException(
                "ERROR: duplicate key value violates unique constraint \"uq_orders_reference\"", "23505");
        batch.setNextException(entry);

        assertThat(SqlFailure.classify(batch)).isEqualTo(new SqlFailure.UniqueViolation("uq_orders_reference", entry));
    }

    @Test
    void shouldKeepAnUnnamedDuplicateWhenNothingNamesTheConstraint() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 1 was aborted", "23505", new int[0]);

        assertThat(SqlFailure.classify(batch)).isEqualTo(new SqlFailure.UniqueViolation("", batch));
    }

    @Test
    void shouldFindAFailureAmongSuppressedExceptions() {
        RuntimeException rollbackFailed = new RuntimeException("rollback failed");
        SQLException timeout = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
        rollbackFailed.addSuppressed(new IllegalArgumentException("noise"));
        rollbackFailed.addSuppressed(timeout);

        assertThat(SqlFailure.classify(rollbackFailed)).isEqualTo(new SqlFailure.LockTimeout(timeout));
    }

    @Test
    void shouldSeePastInFailedTransactionToTheOriginalFailure() {
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        SQLException aborted = new SQLException("current transaction is aborted", "25P02");
        aborted.addSuppressed(deadlock);

        assertThat(SqlFailure.classify(aborted)).isEqualTo(new SqlFailure.Deadlock(deadlock));
        assertThat(SqlFailure.classify(new SQLException("current transaction is aborted", "25P02")))
                .isInstanceOf(SqlFailure.Other.class);
    }

    @Test
    void shouldPreferTheOutermostKnownFailure() {
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        SQLException conflict = new SQLException("could not serialize access", "40001", deadlock);

        assertThat(SqlFailure.classify(conflict)).isEqualTo(new SqlFailure.SerializationConflict(conflict));
    }

    @Test
    void shouldTerminateOnCyclicChains() {
        SQLException first = new SQLException("first", "XX000");
        SQLException second = new SQLException("second", "XX000");
        first.initCause(second);
        second.initCause(first);
        first.setNextException(second);
        second.setNextException(first);
        first.addSuppressed(second);
        second.addSuppressed(first);

        assertThat(SqlFailure.classify(first)).isEqualTo(new SqlFailure.Other(first));
    }

    @Test
    void shouldAnswerOtherWithTheGivenFailureForAnythingUnknown() {
        IllegalStateException notADatabaseFailure = new IllegalStateException("boom");

        assertThat(SqlFailure.classify(notADatabaseFailure)).isEqualTo(new SqlFailure.Other(notADatabaseFailure));
        assertThat(SqlFailure.classify(new SQLException("syntax error", "42601")))
                .isInstanceOf(SqlFailure.Other.class);
        assertThat(SqlFailure.classify(new SQLException("no state"))).isInstanceOf(SqlFailure.Other.class);
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> SqlFailure.classify(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SqlFailure.UniqueViolation(null, new SQLException()))
                .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            40001 | 0     | SerializationConflict | PostgreSQL serialization failure
            40P01 | 0     | Deadlock              | PostgreSQL deadlock
            HY000 | 1020  | SerializationConflict | MariaDB ER_CHECKREAD
            40001 | 1213  | Deadlock              | MySQL and MariaDB deadlock
            40001 | 1205  | LockTimeout           | MySQL Connector/J rewrites 1205 to 40001
            HY000 | 1205  | LockTimeout           | MariaDB lock wait timeout
            HY000 | 3572  | LockNotAvailable      | MySQL NOWAIT
            40001 | 40001 | Deadlock              | H2 deadlock
            HYT00 | 50200 | LockTimeout           | H2 lock timeout
            HY000 | 1213  | Other                 | a vendor code with a foreign SQLSTATE is not trusted
            42000 | 1062  | Other                 | a vendor code with a foreign SQLSTATE is not trusted
            """)
    void shouldReadTheVendorCodeTable(String state, int vendorCode, String expected, String why) {
        SqlFailure classified = SqlFailure.classify(new SQLTransactionRollbackException(why, state, vendorCode));

        assertThat(classified.getClass().getSimpleName()).as(why).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            (conn=9) Duplicate entry 'a' for key 'uq_email'                   | uq_email
            Duplicate entry 'a' for key 'users.uq_email'                      | uq_email
            (conn=9) Duplicate entry 'x' for key 'y' for key 'uq_email'       | uq_email
            (conn=9) Duplicate entry '1' for key 'PRIMARY'                    | PRIMARY
            Duplicate entry                                                   | ''
            """)
    void shouldReadTheKeyNameOfMysqlAndMariadbDuplicates(String message, String constraint) {
        SQLException duplicate = new SQLException(message, "23000", 1062);

        assertThat(SqlFailure.classify(duplicate)).isEqualTo(new SqlFailure.UniqueViolation(constraint, duplicate));
    }

    /** H2 duplicate messages, and the constraint name read from each. */
    static Stream<Arguments> h2Duplicates() {
        return Stream.of(
                Arguments.of("Unique index or primary key violation: \"PUBLIC.UQ_EMAIL INDEX PUBLIC.UQ_EMAIL_INDEX_1 ON"
                        + " PUBLIC.T(E NULLS FIRST) VALUES ( /* 1 */ 'a' )\"; SQL statement:", "UQ_EMAIL"),
                Arguments.of("Unique index or primary key violation: \"PUBLIC.IX_NICK ON PUBLIC.T(N NULLS FIRST) VALUES"
                        + " ( /* 1 */ 1 )\"; SQL statement:", "IX_NICK"),
                Arguments.of("Unique index or primary key violation: \"PUBLIC.CONSTRAINT_1 PRIMARY KEY ON PUBLIC.T(ID)"
                        + " ( /* key:1 */ 1, 'a', 1)\"; SQL statement:", "CONSTRAINT_1"),
                Arguments.of("Unique index or primary key violation: \"\"\"My Schema\"\".\"\"uq_Mixed\"\"\"\"Case\"\""
                        + " INDEX x ON y\"; SQL statement:", "uq_Mixed\"Case"),
                Arguments.of("Verletzung eines eindeutigen Index: \"PUBLIC.UQ_EMAIL ON PUBLIC.T(E)\"", "UQ_EMAIL"),
                Arguments.of("no quoted part", ""));
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("h2Duplicates")
    void shouldReadTheConstraintNameOfH2Duplicates(String message, String constraint) {
        SQLException duplicate = new SQLException(message, "23505", 23505);

        assertThat(SqlFailure.classify(duplicate)).isEqualTo(new SqlFailure.UniqueViolation(constraint, duplicate));
    }

    @Test
    void shouldTellAPostgresLockTimeoutFromANowaitRefusalByMessageWithoutPgjdbc() {
        SQLException timeout = new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
        SQLException nowait = new SQLException("ERROR: could not obtain lock on row in relation \"t\"", "55P03");

        assertThat(SqlFailure.classify(timeout)).isEqualTo(new SqlFailure.LockTimeout(timeout));
        assertThat(SqlFailure.classify(nowait)).isEqualTo(new SqlFailure.LockNotAvailable(nowait));
    }
}
