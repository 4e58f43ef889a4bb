package io.raceguard.jdbc;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The fixture of the money-moving tests: a table of two accounts, ids 1 and 2, each with a balance.
 * Table names are the tests' own constants, never caller data.
 */
final class TwoAccounts {

    private TwoAccounts() {
    }

    /** (Re)creates {@code table} with account 1 holding {@code first} and account 2 holding {@code second}. */
    static void create(Jdbi jdbi, String table, long first, long second) {
        jdbi.useHandle(handle -> {
            handle.execute("DROP TABLE IF EXISTS " + table);
            handle.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            handle.execute("INSERT INTO " + table + " VALUES (1, ?), (2, ?)", first, second);
        });
    }

    /** @return the balances of accounts 1 and 2, in that order */
    static List<Long> balances(Jdbi jdbi, String table) {
        return jdbi.withHandle(handle ->
                handle.select("SELECT balance FROM " + table + " ORDER BY id").mapTo(Long.class).list());
    }
}
