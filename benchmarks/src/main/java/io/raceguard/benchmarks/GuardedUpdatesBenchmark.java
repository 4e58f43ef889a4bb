package io.raceguard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.raceguard.jdbc.GuardedUpdates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An uncontended conditional debit on PostgreSQL ({@code balance = balance - 1 WHERE balance >= 1},
 * always applied) through {@link GuardedUpdates} against the same statement written by hand with
 * JDBC, on the same pooled connection.
 *
 * <p>{@code jdbc-transaction} is the fair baseline the target is read against: what
 * {@code GuardedUpdates} sends when no transaction is open, by hand (autocommit off, the same
 * {@code UPDATE ... RETURNING}, commit, autocommit back on). {@code jdbc-autocommit} is the same
 * statement in autocommit mode, one round trip instead of two: it shows what the own transaction
 * costs on the path that applies. {@code jdbi-transaction} sends the fair baseline's statements
 * through plain Jdbi ({@code inTransaction}, {@code createQuery}, {@code mapTo}): the gap between it
 * and {@code jdbc-transaction} is what Jdbi itself costs, the rest is {@code GuardedUpdates}' own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GuardedUpdatesBenchmark {

    private static final long ACCOUNT = 1;

    @Param({"raceguard", "jdbc-transaction", "jdbi-transaction", "jdbc-autocommit"})
    public String impl;

    private HikariDataSource pool;
    private Handle handle;
    private String table;
    private GuardedUpdates.Change<Long> debit;
    private String debitSql;
    private String debitJdbiSql;

    @Setup
    public void setUp() {
        pool = BenchmarkServices.postgresPool("guarded-updates", 1);
        handle = Jdbi.create(pool).open();
        table = BenchmarkServices.uniqueName("rg_bench_guarded");
        handle.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        handle.execute("INSERT INTO " + table + " (id, balance) VALUES (?, ?)", ACCOUNT, Long.MAX_VALUE / 2);
        debit = GuardedUpdates.on(table, "id").decrement("balance", 1);
        // The statement GuardedUpdates sends on PostgreSQL, parameters in the same order.
        debitSql = "UPDATE \"" + table + "\" SET \"balance\" = \"balance\" - ? WHERE \"id\" = ? AND \"balance\" >= ?"
                + " RETURNING \"balance\"";
        debitJdbiSql = "UPDATE \"" + table + "\" SET \"balance\" = \"balance\" - :amount"
                + " WHERE \"id\" = :key AND \"balance\" >= :bound RETURNING \"balance\"";
    }

    @TearDown
    public void tearDown() {
        try {
            handle.execute("DROP TABLE IF EXISTS " + table);
            handle.close();
        } finally {
            pool.close();
        }
    }

    @Benchmark
    public long debit() throws SQLException {
        return switch (impl) {
            case "raceguard" -> debit.apply(handle, ACCOUNT).value();
            case "jdbc-transaction" -> debitInTransaction(handle.getConnection());
            case "jdbi-transaction" -> handle.inTransaction(transaction -> transaction.createQuery(debitJdbiSql)
                    .bind("amount", 1L).bind("key", ACCOUNT).bind("bound", 1L).mapTo(Long.class).one());
            case "jdbc-autocommit" -> debitOnce(handle.getConnection());
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    private long debitInTransaction(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            long balance = debitOnce(connection);
            connection.commit();
            return balance;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private long debitOnce(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(debitSql)) {
            statement.setLong(1, 1);
            statement.setLong(2, ACCOUNT);
            statement.setLong(3, 1);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("the debit did not apply");
                }
                return rows.getLong(1);
            }
        }
    }
}
