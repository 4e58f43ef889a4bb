package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Table and column names checked against a strict pattern before they go into SQL. They are used as
 * written, unquoted, so that the database folds their case exactly as it does in the user's own
 * unquoted SQL (upper case on H2, lower case on PostgreSQL); the pattern leaves no room for anything
 * but a name.
 */
final class SqlName {

    private static final int MAX_PART_LENGTH = 128;
    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlName() {}

    /**
     * @param name a table name, optionally schema-qualified: {@code redemptions}, {@code shop.redemptions}
     * @return {@code name}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not such a name
     */
    static String table(String name) {
        requireNonNull(name, "table");
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2 || !matches(parts[0]) || (parts.length == 2 && !matches(parts[1]))) {
            throw new IllegalArgumentException("table must be [A-Za-z_][A-Za-z0-9_]* (at most " + MAX_PART_LENGTH
                    + " characters), optionally schema-qualified, was " + Words.shortText(name));
        }
        return name;
    }

    /**
     * @param name a column name
     * @return {@code name}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not {@code [A-Za-z_][A-Za-z0-9_]*}
     */
    static String column(String name) {
        requireNonNull(name, "column");
        if (!matches(name)) {
            throw new IllegalArgumentException("column must be [A-Za-z_][A-Za-z0-9_]* (at most " + MAX_PART_LENGTH
                    + " characters), was " + Words.shortText(name));
        }
        return name;
    }

    private static boolean matches(String part) {
        return part.length() <= MAX_PART_LENGTH && PART.matcher(part).matches();
    }
}
