package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table or column name that is safe to write into SQL: every part matches
 * {@code [A-Za-z_][A-Za-z0-9_]*} and is at most {@value #MAX_PART_LENGTH} characters (PostgreSQL's
 * limit, the smallest of the supported databases), with at most one {@code schema.} qualifier.
 * Anything else is rejected on construction, before any I/O, so a name that reaches SQL can never
 * close a quote or start a statement.
 *
 * <p>{@link #quoted(Dialect)} quotes every part, so reserved words work as names, after folding it the
 * way the database folds an unquoted name (lower case on PostgreSQL, upper case on H2, unchanged on
 * MariaDB, where backticks do not change case rules). A name therefore means what it would mean
 * written unquoted in the user's DDL; tables created with quoted mixed-case names are not reachable.
 *
 * <p>Immutable and thread-safe.
 */
final class SqlIdentifier {

    static final int MAX_PART_LENGTH = 63;

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String schema;
    private final String name;

    private SqlIdentifier(String schema, String name) {
        this.schema = schema;
        this.name = name;
    }

    /**
     * @param identifier a name, optionally qualified by one schema: {@code accounts}, {@code bank.accounts}
     * @return the validated identifier
     * @throws NullPointerException if {@code identifier} is null
     * @throws IllegalArgumentException if it is not one or two valid parts joined by a dot
     */
    static SqlIdentifier of(String identifier) {
        requireNonNull(identifier, "identifier");
        int dot = identifier.indexOf('.');
        if (dot < 0) {
            return new SqlIdentifier(null, requirePart(identifier, identifier));
        }
        return new SqlIdentifier(
                requirePart(identifier.substring(0, dot), identifier),
                requirePart(identifier.substring(dot + 1), identifier));
    }

    /**
     * @param column a column name, which takes no qualifier
     * @return the validated identifier
     * @throws NullPointerException if {@code column} is null
     * @throws IllegalArgumentException if it is not a single valid part
     */
    static SqlIdentifier column(String column) {
        requireNonNull(column, "column");
        return new SqlIdentifier(null, requirePart(column, column));
    }

    /** @return the identifier folded and quoted for {@code dialect}, ready to be written into SQL */
    String quoted(Dialect dialect) {
        requireNonNull(dialect, "dialect");
        String quotedName = quotePart(name, dialect);
        return schema == null ? quotedName : quotePart(schema, dialect) + "." + quotedName;
    }

    private static String quotePart(String part, Dialect dialect) {
        switch (dialect) {
            case POSTGRESQL:
                return '"' + part.toLowerCase(Locale.ROOT) + '"';
            case H2:
                return '"' + part.toUpperCase(Locale.ROOT) + '"';
            case MARIADB:
                return '`' + part + '`';
            default:
                throw new IllegalArgumentException("dialect not supported: " + dialect);
        }
    }

    private static String requirePart(String part, String identifier) {
        if (part.length() > MAX_PART_LENGTH || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("identifier must be one or two parts joined by a dot, each matching "
                    + PART.pattern() + " and at most " + MAX_PART_LENGTH + " characters, was \"" + identifier + '"');
        }
        return part;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SqlIdentifier that
                && Objects.equals(schema, that.schema)
                && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name);
    }

    /** @return the identifier as given, unquoted */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
