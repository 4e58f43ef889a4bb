package io.raceguard.jdbc;

import java.util.EnumMap;
import java.util.Map;

/**
 * The databases one test class uses, each opened on first use so that a missing server only skips
 * the tests that need it. Not thread-safe: call {@link #get} from test methods, not from their workers.
 */
final class OpenDatabases implements AutoCloseable {

    private final Class<?> testClass;
    private final Map<DatabaseKind, TestDatabase> open = new EnumMap<>(DatabaseKind.class);

    OpenDatabases(Class<?> testClass) {
        this.testClass = testClass;
    }

    TestDatabase get(DatabaseKind kind) {
        return open.computeIfAbsent(kind, k -> k.open(testClass));
    }

    @Override
    public void close() {
        open.values().forEach(TestDatabase::close);
        open.clear();
    }
}
