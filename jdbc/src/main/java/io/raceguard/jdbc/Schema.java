package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates (and, for tests, drops) the tables the JDBC stores use: lease locks and their fencing
 * sequence, bounded counters, rate limits and idempotency records.
 *
 * <pre>{@code
 * Schema.defaults().create(jdbi);                            // default names, dialect detected
 *
 * TableNames names = TableNames.defaults().inSchema("shop");
 * Schema.builder().tableNames(names).dialect(Dialect.POSTGRESQL).build().create(handle);
 * IdempotencyStore store = JdbcIdempotencyStore.create(jdbi, names);
 * }</pre>
 *
 * <p>The DDL is shipped as one readable resource per dialect, with the default names, for teams that
 * manage their schema with Flyway or Liquibase: {@code io/raceguard/jdbc/schema/postgresql.sql},
 * {@code mariadb.sql} and {@code h2.sql} (see {@link #resource(Dialect)}). This class runs exactly
 * those statements, with each default name replaced by the corresponding validated and quoted name
 * from {@link TableNames}; {@link #createStatements(Dialect)} shows them.
 *
 * <p><b>Idempotent.</b> Every statement is {@code CREATE ... IF NOT EXISTS}: creating twice, or over
 * tables created from the resources, changes nothing. It does not migrate: a table that exists with
 * other columns is left as it is. Two processes creating the same schema at the same instant may see
 * one of them fail on PostgreSQL (its {@code IF NOT EXISTS} checks the catalog before the insert, so
 * a concurrent creation can still raise a duplicate); run creation once, at deployment or start-up.
 *
 * <p><b>Transactions.</b> Statements run on the given handle, one after the other. PostgreSQL and H2
 * can run DDL inside a transaction (roll back, and nothing was created); MariaDB commits before and
 * after every DDL statement, so a failure there may leave some tables created (run again: it is
 * idempotent).
 *
 * <p>Immutable and thread-safe. A {@link Handle} is not: do not share one between threads.
 */
public final class Schema {

    private static final Schema DEFAULTS = new Schema(TableNames.defaults(), null);

    private final TableNames tableNames;
    private final Dialect dialect;

    private Schema(TableNames tableNames, Dialect dialect) {
        this.tableNames = tableNames;
        this.dialect = dialect;
    }

    /** @return the schema under the default names, with the dialect detected from each connection */
    public static Schema defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the default names and a detected dialect */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param dialect a dialect
     * @return the class-path resource that holds the dialect's DDL under the default names, for
     *     {@link ClassLoader#getResource(String)}
     * @throws NullPointerException if {@code dialect} is null
     */
    public static String resource(Dialect dialect) {
        return SchemaScript.resource(requireNonNull(dialect, "dialect"));
    }

    /** @return the names this schema creates, to hand to the stores */
    public TableNames tableNames() {
        return tableNames;
    }

    /** @return the dialect given to the builder, or empty if it is detected from each connection */
    public Optional<Dialect> dialect() {
        return Optional.ofNullable(dialect);
    }

    /**
     * @param dialect the dialect to write the DDL for
     * @return the statements {@link #create(Handle)} runs for that dialect, in order
     * @throws NullPointerException if {@code dialect} is null
     */
    public List<String> createStatements(Dialect dialect) {
        return SchemaScript.createStatements(requireNonNull(dialect, "dialect"), tableNames);
    }

    /**
     * Creates every table, index and the sequence that does not exist yet.
     *
     * @param handle the handle to run the DDL on
     * @throws NullPointerException if {@code handle} is null
     * @throws IllegalArgumentException if the dialect is detected and is not supported
     * @throws org.jdbi.v3.core.JdbiException if the database refused a statement (no privilege, a
     *     schema that does not exist)
     */
    public void create(Handle handle) {
        requireNonNull(handle, "handle");
        run(handle, SchemaScript.createStatements(dialectOf(handle), tableNames));
    }

    /**
     * {@link #create(Handle)} on a handle of its own.
     *
     * @param jdbi where to create the schema
     * @throws NullPointerException if {@code jdbi} is null
     */
    public void create(Jdbi jdbi) {
        requireNonNull(jdbi, "jdbi").useHandle(this::create);
    }

    /**
     * {@link #create(Handle)} on a connection of its own.
     *
     * @param dataSource where to create the schema
     * @throws NullPointerException if {@code dataSource} is null
     */
    public void create(DataSource dataSource) {
        create(Jdbi.create(requireNonNull(dataSource, "dataSource")));
    }

    /**
     * Drops every table and the sequence, with all their rows, if they exist. Meant for tests.
     *
     * @param handle the handle to run the DDL on
     * @throws NullPointerException if {@code handle} is null
     * @throws org.jdbi.v3.core.JdbiException if the database refused a statement
     */
    public void drop(Handle handle) {
        requireNonNull(handle, "handle");
        run(handle, SchemaScript.dropStatements(dialectOf(handle), tableNames));
    }

    /**
     * {@link #drop(Handle)} on a handle of its own.
     *
     * @param jdbi where to drop the schema
     * @throws NullPointerException if {@code jdbi} is null
     */
    public void drop(Jdbi jdbi) {
        requireNonNull(jdbi, "jdbi").useHandle(this::drop);
    }

    private Dialect dialectOf(Handle handle) {
        return dialect != null ? dialect : Dialect.of(handle.getConnection());
    }

    private static void run(Handle handle, List<String> statements) {
        for (String statement : statements) {
            handle.execute(statement);
        }
    }

    @Override
    public String toString() {
        return "Schema" + tableNames + (dialect == null ? "" : " for " + dialect);
    }

    /**
     * Builds a {@link Schema}. Each option may be set once, and is validated when it is set. Not
     * thread-safe.
     */
    public static final class Builder {

        private TableNames tableNames;
        private Dialect dialect;

        private Builder() {}

        /**
         * @param tableNames the names to create the tables under; default {@link TableNames#defaults()}
         * @return this builder
         * @throws NullPointerException if {@code tableNames} is null
         * @throws IllegalStateException if the table names were already set
         */
        public Builder tableNames(TableNames tableNames) {
            requireNonNull(tableNames, "tableNames");
            requireUnset(this.tableNames, "tableNames");
            this.tableNames = tableNames;
            return this;
        }

        /**
         * @param dialect the dialect to write DDL for, instead of detecting it from the connection
         * @return this builder
         * @throws NullPointerException if {@code dialect} is null
         * @throws IllegalStateException if the dialect was already set
         */
        public Builder dialect(Dialect dialect) {
            requireNonNull(dialect, "dialect");
            requireUnset(this.dialect, "dialect");
            this.dialect = dialect;
            return this;
        }

        /** @return the schema */
        public Schema build() {
            return new Schema(tableNames != null ? tableNames : TableNames.defaults(), dialect);
        }
    }
}
