package io.raceguard.jdbc;

import java.util.EnumSet;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The databases of one store test class, each with Raceguard's tables created under their default
 * names on first use. Not thread-safe: call it from test methods (or a kit's store factory), not from
 * their workers.
 */
final class StoreDatabases implements AutoCloseable {

    private final OpenDatabases databases;
    private final Set<DatabaseKind> created = EnumSet.noneOf(DatabaseKind.class);

    StoreDatabases(Class<?> testClass) {
        this.databases = new OpenDatabases(testClass);
    }

    /** @return the database of that kind, opened and given the default schema on first use */
    Jdbi withSchema(DatabaseKind kind) {
        Jdbi jdbi = databases.get(kind).jdbi();
        if (created.add(kind)) {
            Schema.defaults().create(jdbi);
        }
        return jdbi;
    }

    /** @return the open database of that kind, with the default schema */
    TestDatabase database(DatabaseKind kind) {
        withSchema(kind);
        return databases.get(kind);
    }

    @Override
    public void close() {
        databases.close();
    }
}
