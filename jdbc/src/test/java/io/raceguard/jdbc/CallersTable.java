package io.raceguard.jdbc;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A table of the caller's own, beside Raceguard's: what a test's business code writes, to see whether
 * that write committed or rolled back apart from the store's. Created outside any transaction (DDL
 * commits on MariaDB); drop it at the end of the test.
 *
 * @param name the table's name, a constant of the test, never caller data
 */
record CallersTable(String name) {

    static CallersTable create(Jdbi jdbi, String name) {
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + name + " (note VARCHAR(64) NOT NULL)"));
        return new CallersTable(name);
    }

    /** @return {@code note}, once written on {@code handle}, in whatever transaction it has */
    String write(Handle handle, String note) {
        handle.createUpdate("INSERT INTO " + name + " (note) VALUES (:note)").bind("note", note).execute();
        return note;
    }

    String write(Jdbi jdbi, String note) {
        return jdbi.withHandle(handle -> write(handle, note));
    }

    List<String> notes(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT note FROM " + name).mapTo(String.class).list());
    }

    void drop(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.execute("DROP TABLE " + name));
    }
}
