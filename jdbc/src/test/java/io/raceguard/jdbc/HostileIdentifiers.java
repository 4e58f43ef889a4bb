package io.raceguard.jdbc;

import java.util.List;

/**
 * Table, schema and column names that try to break out of an identifier, or that a lax check would
 * let through: statement separators, comments, every quote character, extra dots, whitespace and
 * control characters, look-alike letters, and a part one character over the length limit. Every API
 * that takes an identifier must refuse each one before any I/O.
 */
final class HostileIdentifiers {

    private static final List<String> ALL = List.of(
            "",
            " ",
            "accounts; DROP TABLE accounts",
            "x; DROP TABLE users",
            "balance\" = 0 --",
            "balance` = 0 -- ",
            "balance'",
            "accounts\"",
            "acc`ounts",
            "[accounts]",
            "accounts--",
            "balance/**/",
            "a.b.c",
            ".accounts",
            "accounts.",
            "sch ema.t",
            "1balance",
            " balance",
            "bal ance",
            "balance\n",
            "a\u0000b",
            "naïve",
            "\uff41ccounts",
            "accounts\u200b",
            "a".repeat(SqlIdentifier.MAX_PART_LENGTH + 1));

    private HostileIdentifiers() {}

    /** @return the hostile identifiers, for {@code @MethodSource("io.raceguard.jdbc.HostileIdentifiers#all")} */
    static List<String> all() {
        return ALL;
    }
}
