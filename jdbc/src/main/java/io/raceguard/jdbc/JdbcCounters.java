package io.raceguard.jdbc;

import static io.raceguard.internal.CounterRules.takeRefused;
import static java.util.Objects.requireNonNull;

import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.internal.CounterRules;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * {@link Counters} in a database table ({@value TableNames#DEFAULT_COUNTERS} by default), shared by
 * every process that uses the database.
 *
 * <pre>{@code
 * Schema.defaults().create(jdbi);
 * Counters stock = JdbcCounters.create(jdbi);
 * stock.set("stock:99", 3);
 * Outcome<Long> taken = stock.take("stock:99", 1);   // CONDITION_FAILED once the stock is gone
 * }</pre>
 *
 * <h2>What is atomic</h2>
 * Every decision is one statement with the condition inside it, so the level is checked and changed
 * under the row's lock, never read first and written later:
 * <ul>
 *   <li>{@code take}: {@code UPDATE ... SET level = level - :amount WHERE key_hash = :hash AND level >=
 *       :amount}. PostgreSQL returns the new level from the same statement ({@code WITH ... RETURNING}),
 *       together with whether the row exists; H2 reads the old level with {@code OLD TABLE (UPDATE ...)}
 *       (its update writes the row even when refused, unchanged); MariaDB carries the new level back in
 *       the reply's last-insert-id ({@code LAST_INSERT_ID(expr)}), so an applied take is one round trip,
 *       and a refused one asks in a second statement whether the counter exists.
 *   <li>{@code add}: an upsert, {@code INSERT ... ON CONFLICT (key_hash) DO UPDATE SET level = level +
 *       :amount WHERE level <= :ceiling - :amount RETURNING level} on PostgreSQL;
 *       {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING} on MariaDB, where the decision travels
 *       in {@code LAST_INSERT_ID()}; {@code MERGE} with {@code OLD TABLE} on H2. The comparison is
 *       {@code level <= ceiling - amount}, so no sum can overflow.
 *   <li>{@code set}, {@code get}, {@code delete}: one upsert, select or delete each.
 * </ul>
 * Concurrent calls on one key are therefore linearizable in the level they apply: 20 concurrent
 * {@code take(key, 1)} on a level of 5 apply exactly 5 times, on every isolation level.
 *
 * <p>One approximation, in the report of a refusal only: a {@code take} that races with the
 * creation or deletion of the same counter may answer {@code CONDITION_FAILED} where
 * {@code NOT_FOUND} was true at the instant it decided, or the reverse (on PostgreSQL the existence is
 * read from the statement's snapshot; on MariaDB it is read just after). Nothing is ever taken wrongly.
 *
 * <h2>Transactions and failure model</h2>
 * Each call takes a connection from the {@link Jdbi} and runs in autocommit mode: its statement is its
 * own transaction, committed before the call returns. A statement the database rolls back because a
 * concurrent one won (a deadlock on MariaDB's upsert, a racing insert on H2's {@code MERGE}) had no
 * effect and is retried, a bounded number of times. Any other fault is thrown as
 * {@link io.raceguard.BackendException} with the driver's exception as its cause; if it is a lost
 * connection, the change may or may not have been committed, so re-read the level with {@link #get}
 * before acting on it. H2 serves one process only (embedded or in tests); PostgreSQL and MariaDB are
 * shared by every process that connects.
 *
 * <p>A call made inside the caller's own Jdbi transaction still takes a connection of its own (two
 * from the pool at once) and commits on its own, whatever the caller's transaction does afterwards.
 * A data source that hands every caller one shared connection (a Spring
 * {@code TransactionAwareDataSourceProxy}) is not supported: the commit would be the caller's.
 *
 * <h2>Keys</h2>
 * A counter's row is found by the SHA-256 of its key's UTF-8 bytes, so keys up to 8 KiB, with any
 * case, spacing or Unicode form, stay distinct on every database; the key itself is stored alongside
 * for people reading the table.
 *
 * <p>Thread-safe: one instance serves the whole application.
 */
public final class JdbcCounters implements Counters {

    private final StoreStatements statements;
    private final DetectedDialect dialect = new DetectedDialect();
    private final Map<Dialect, CounterStatements> sql = new EnumMap<>(Dialect.class);

    private JdbcCounters(Jdbi jdbi, TableNames names) {
        this.statements = new StoreStatements(jdbi);
        for (Dialect each : Dialect.values()) {
            sql.put(each, CounterStatements.of(each, names.countersTable()));
        }
    }

    /**
     * @param jdbi where the counters table is, under its default name
     * @return counters in that database
     * @throws NullPointerException if {@code jdbi} is null
     */
    public static Counters create(Jdbi jdbi) {
        return create(jdbi, TableNames.defaults());
    }

    /**
     * @param jdbi where the counters table is
     * @param names the table names, as given to {@link Schema}
     * @return counters in that database
     * @throws NullPointerException if an argument is null
     */
    public static Counters create(Jdbi jdbi, TableNames names) {
        return new JdbcCounters(requireNonNull(jdbi, "jdbi"), requireNonNull(names, "names"));
    }

    @Override
    public Outcome<Long> take(String key, long amount) {
        CounterRules.requireTake(key, amount);
        byte[] hash = KeyDigest.of(key);
        return statements.run("take from a counter", handle -> {
            Dialect database = dialect.of(handle);
            CounterStatements counter = sql.get(database);
            return switch (database) {
                case POSTGRESQL -> handle.createQuery(counter.take())
                        .bind("hash", hash)
                        .bind("amount", amount)
                        .map((row, context) -> {
                            long level = row.getLong("level");
                            return row.wasNull() ? takeRefused(row.getBoolean("found")) : Outcome.applied(level);
                        })
                        .one();
                case MARIADB -> {
                    Optional<Long> shifted = handle.createUpdate(counter.take())
                            .bind("hash", hash)
                            .bind("amount", amount)
                            .executeAndReturnGeneratedKeys()
                            .mapTo(Long.class)
                            .findFirst();
                    yield shifted.isPresent()
                            ? Outcome.applied(shifted.get() - 1)
                            : takeRefused(byHash(handle.createQuery(counter.takeFallback()), hash).mapTo(Integer.class)
                                    .findFirst().isPresent());
                }
                case H2 -> {
                    Optional<Long> before = handle.createQuery(counter.take())
                            .bind("hash", hash)
                            .bind("amount", amount)
                            .mapTo(Long.class)
                            .findFirst();
                    yield before.isEmpty()
                            ? takeRefused(false)
                            : before.get() >= amount ? Outcome.applied(before.get() - amount) : takeRefused(true);
                }
            };
        });
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        return CounterRules.add(key, amount, ceiling, room -> {
            byte[] hash = KeyDigest.of(key);
            return statements.run("add to a counter", handle -> {
                Dialect database = dialect.of(handle);
                Optional<Long> returned = handle.createQuery(sql.get(database).add())
                        .bind("hash", hash)
                        .bind("key", key)
                        .bind("amount", amount)
                        .bind("room", room)
                        .mapTo(Long.class)
                        .findFirst();
                return switch (database) {
                    case POSTGRESQL -> returned.<Outcome<Long>>map(Outcome::applied)
                            .orElseGet(CounterRules::ceilingPassed);
                    case MARIADB -> returned.filter(level -> level > 0).<Outcome<Long>>map(Outcome::applied)
                            .orElseGet(CounterRules::ceilingPassed);
                    case H2 -> returned.isEmpty()
                            ? Outcome.applied(amount)
                            : returned.get() <= room ? Outcome.applied(returned.get() + amount)
                                    : CounterRules.ceilingPassed();
                };
            });
        });
    }

    @Override
    public void set(String key, long level) {
        CounterRules.requireSet(key, level);
        byte[] hash = KeyDigest.of(key);
        statements.run("set a counter", handle -> handle.createUpdate(sql.get(dialect.of(handle)).set())
                .bind("hash", hash)
                .bind("key", key)
                .bind("level", level)
                .execute());
    }

    @Override
    public OptionalLong get(String key) {
        CounterRules.requireCounterKey(key);
        byte[] hash = KeyDigest.of(key);
        return statements.run("read a counter", handle ->
                byHash(handle.createQuery(sql.get(dialect.of(handle)).get()), hash)
                        .mapTo(Long.class)
                        .findFirst()
                        .map(OptionalLong::of)
                        .orElseGet(OptionalLong::empty));
    }

    @Override
    public boolean delete(String key) {
        CounterRules.requireCounterKey(key);
        byte[] hash = KeyDigest.of(key);
        return statements.run("delete a counter", handle ->
                byHash(handle.createUpdate(sql.get(dialect.of(handle)).delete()), hash).execute() > 0);
    }

    private static <S extends SqlStatement<S>> S byHash(S statement, byte[] hash) {
        return statement.bind("hash", hash);
    }

    @Override
    public String toString() {
        return "JdbcCounters";
    }
}
