package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of Raceguard's tables and of the lock fencing sequence: one configuration object that
 * {@link Schema} creates the tables under and that every JDBC store is given, so they agree.
 *
 * <pre>{@code
 * TableNames names = TableNames.defaults().withCounters("shop.stock_counters");
 * Schema.builder().tableNames(names).build().create(jdbi);
 * Counters counters = JdbcCounters.create(jdbi, names);
 * }</pre>
 *
 * <p>Every name is validated on construction, before any I/O: one or two parts joined by a dot
 * ({@code table} or {@code schema.table}), each matching {@code [A-Za-z_][A-Za-z0-9_]*} and at most 63
 * characters, and the tables with an expiry index ({@code rateLimits}, {@code idempotency}) at most
 * 52 characters so that {@code <table>_expires_at} is still a valid name. Names are written into SQL only after this
 * check, quoted and folded the way the database folds an unquoted name (so {@code Shop.Counters} means what it would
 * mean unquoted in your DDL). No two names may be equal once folded.
 *
 * <p>Immutable and thread-safe.
 *
 * @param locks the lease-lock table, default {@value #DEFAULT_LOCKS}
 * @param lockFence the sequence fencing tokens are drawn from, default {@value #DEFAULT_LOCK_FENCE}
 * @param counters the bounded-counter table, default {@value #DEFAULT_COUNTERS}
 * @param rateLimits the rate-limit state table, default {@value #DEFAULT_RATE_LIMITS}
 * @param idempotency the idempotency record table, default {@value #DEFAULT_IDEMPOTENCY}
 */
public record TableNames(String locks, String lockFence, String counters, String rateLimits, String idempotency) {

    /** The default lease-lock table. */
    public static final String DEFAULT_LOCKS = "raceguard_locks";
    /** The default fencing-token sequence. */
    public static final String DEFAULT_LOCK_FENCE = "raceguard_lock_fence";
    /** The default bounded-counter table. */
    public static final String DEFAULT_COUNTERS = "raceguard_counters";
    /** The default rate-limit table. */
    public static final String DEFAULT_RATE_LIMITS = "raceguard_rate_limits";
    /** The default idempotency table. */
    public static final String DEFAULT_IDEMPOTENCY = "raceguard_idempotency";

    static final String EXPIRY_INDEX_SUFFIX = "_expires_at";
    static final int MAX_INDEXED_TABLE_LENGTH = SqlIdentifier.MAX_PART_LENGTH - EXPIRY_INDEX_SUFFIX.length();

    private static final TableNames DEFAULTS = new TableNames(
            DEFAULT_LOCKS, DEFAULT_LOCK_FENCE, DEFAULT_COUNTERS, DEFAULT_RATE_LIMITS, DEFAULT_IDEMPOTENCY);

    /**
     * @throws NullPointerException if a name is null
     * @throws IllegalArgumentException if a name is not a valid identifier, an indexed table's name is
     *     too long for its index name, or two names are equal
     */
    public TableNames {
        Map<String, String> folded = new HashMap<>();
        requireUnique(folded, locks, "locks");
        requireUnique(folded, lockFence, "lockFence");
        requireUnique(folded, counters, "counters");
        requireUnique(folded, rateLimits, "rateLimits");
        requireUnique(folded, idempotency, "idempotency");
        requireIndexable(rateLimits, "rateLimits");
        requireIndexable(idempotency, "idempotency");
    }

    /** @return the default names, those of the shipped DDL resources */
    public static TableNames defaults() {
        return DEFAULTS;
    }

    /**
     * @param locks the lease-lock table, optionally {@code schema.table}
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is invalid or taken by another
     */
    public TableNames withLocks(String locks) {
        return new TableNames(locks, lockFence, counters, rateLimits, idempotency);
    }

    /**
     * @param lockFence the fencing-token sequence, optionally {@code schema.sequence}
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is invalid or taken by another
     */
    public TableNames withLockFence(String lockFence) {
        return new TableNames(locks, lockFence, counters, rateLimits, idempotency);
    }

    /**
     * @param counters the bounded-counter table, optionally {@code schema.table}
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is invalid or taken by another
     */
    public TableNames withCounters(String counters) {
        return new TableNames(locks, lockFence, counters, rateLimits, idempotency);
    }

    /**
     * @param rateLimits the rate-limit table, optionally {@code schema.table}
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is invalid, too long, or taken by another
     */
    public TableNames withRateLimits(String rateLimits) {
        return new TableNames(locks, lockFence, counters, rateLimits, idempotency);
    }

    /**
     * @param idempotency the idempotency table, optionally {@code schema.table}
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is invalid, too long, or taken by another
     */
    public TableNames withIdempotency(String idempotency) {
        return new TableNames(locks, lockFence, counters, rateLimits, idempotency);
    }

    /**
     * @param schema a schema (PostgreSQL, H2) or database (MariaDB) name
     * @return a copy with every unqualified name qualified by {@code schema}; qualified names are kept
     * @throws IllegalArgumentException if {@code schema} is not a valid identifier part
     */
    public TableNames inSchema(String schema) {
        SqlIdentifier.column(requireNonNull(schema, "schema"));
        return new TableNames(qualify(schema, locks), qualify(schema, lockFence), qualify(schema, counters),
                qualify(schema, rateLimits), qualify(schema, idempotency));
    }

    SqlIdentifier locksTable() {
        return SqlIdentifier.of(locks);
    }

    SqlIdentifier lockFenceSequence() {
        return SqlIdentifier.of(lockFence);
    }

    SqlIdentifier countersTable() {
        return SqlIdentifier.of(counters);
    }

    SqlIdentifier rateLimitsTable() {
        return SqlIdentifier.of(rateLimits);
    }

    SqlIdentifier idempotencyTable() {
        return SqlIdentifier.of(idempotency);
    }

    /** @return the tables, in the order they are created */
    List<SqlIdentifier> tables() {
        return List.of(locksTable(), countersTable(), rateLimitsTable(), idempotencyTable());
    }

    /**
     * The name of a table's expiry index, {@code <table>_expires_at}. Index names live in the table's
     * schema: H2 wants them qualified like the table, PostgreSQL refuses a qualifier, and MariaDB's are
     * per table.
     */
    static String expiryIndex(String table, Dialect dialect) {
        int dot = table.indexOf('.');
        String index = table + EXPIRY_INDEX_SUFFIX;
        return SqlIdentifier.of(dot >= 0 && dialect != Dialect.H2 ? index.substring(dot + 1) : index).quoted(dialect);
    }

    private static String qualify(String schema, String name) {
        return name.indexOf('.') >= 0 ? name : schema + "." + name;
    }

    private static void requireUnique(Map<String, String> seen, String name, String component) {
        requireNonNull(name, component);
        try {
            SqlIdentifier.of(name);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(component + ": " + invalid.getMessage(), invalid);
        }
        String other = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), component);
        if (other != null) {
            throw new IllegalArgumentException(component + " and " + other
                    + " must name different objects, both were \""
                    + name + '"');
        }
    }

    private static void requireIndexable(String table, String component) {
        String unqualified = table.substring(table.indexOf('.') + 1);
        if (unqualified.length() > MAX_INDEXED_TABLE_LENGTH) {
            throw new IllegalArgumentException(component + " must be at most " + MAX_INDEXED_TABLE_LENGTH
                    + " characters without its schema, so that its index " + unqualified + EXPIRY_INDEX_SUFFIX
                    + " fits in 63, was " + unqualified.length());
        }
    }
}
