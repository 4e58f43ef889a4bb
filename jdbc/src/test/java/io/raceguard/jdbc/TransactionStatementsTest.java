package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What one {@link Transactions} attempt sends on a real connection, and the state it leaves the
 * connection in: the isolation is set for the transaction only, by one statement, and never read.
 */
final class TransactionStatementsTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(TransactionStatementsTest.class);

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldSendOneIsolationStatementBesidesTheWorkAndTheCommit(DatabaseKind kind) throws Exception {
        try (Connection connection = DATABASES.get(kind).connect()) {
            StatementLog log = new StatementLog();
            Transactions transactions = lending(connection, log).build();

            int one = transactions.inTransaction(handle -> handle.select("SELECT 1").mapTo(Integer.class).one());

            assertThat(one).isEqualTo(1);
            assertThat(log.entries())
                    .containsExactly("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SELECT 1", "commit");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldSendOneStatementForSerializableReadOnlyDeferrableOnPostgres(DatabaseKind kind) throws Exception {
        try (Connection connection = DATABASES.get(kind).connect()) {
            StatementLog log = new StatementLog();
            Transactions transactions = lending(connection, log).build();

            String readOnly = transactions.readOnly(handle -> handle.select("SHOW transaction_read_only")
                    .mapTo(String.class).one());

            assertThat(readOnly).isEqualTo("on");
            assertThat(log.entries()).containsExactly(
                    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE",
                    "SHOW transaction_read_only",
                    "commit");
            assertThat(connection.isReadOnly()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldRunAtTheChosenLevel(DatabaseKind kind) throws Exception {
        try (Connection connection = DATABASES.get(kind).connect()) {
            Transactions transactions = lending(connection, new StatementLog())
                    .isolation(TransactionIsolationLevel.REPEATABLE_READ)
                    .build();

            String inside = transactions.inTransaction(handle -> handle.select("SHOW transaction_isolation")
                    .mapTo(String.class).one());

            assertThat(inside).isEqualTo("repeatable read");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldHandTheConnectionBackAtTheSessionsOwnLevel(DatabaseKind kind) throws Exception {
        try (Connection connection = DATABASES.get(kind).connect()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            Transactions transactions = lending(connection, new StatementLog())
                    .isolation(TransactionIsolationLevel.REPEATABLE_READ)
                    .build();

            transactions.inTransaction(handle -> handle.select("SELECT 1").mapTo(Integer.class).one());

            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(kind == DatabaseKind.POSTGRESQL
                    ? firstValue(connection, "SHOW transaction_isolation")
                    : firstValue(connection, "SELECT @@tx_isolation")).isIn("read committed", "READ-COMMITTED");
        }
    }

    private static Transactions.Builder lending(Connection connection, StatementLog log) {
        return Transactions.builder(Jdbi.create(log.poolOfOne(connection)));
    }

    private static String firstValue(Connection connection, String query) throws Exception {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
