package io.raceguard.jdbc;

import io.raceguard.Outcome;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.StalledHolderContract;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link JdbcLocks} with a fenced update ({@link GuardedUpdates#fencedSet}) on PostgreSQL and
 * MariaDB: a lease holder that stalls past its ttl can never overwrite the next holder's row; a
 * plain {@code UPDATE} can.
 */
final class StalledLeaseHolderTest {

    private static final StoreDatabases DATABASES = new StoreDatabases(StalledLeaseHolderTest.class);
    private static final GuardedUpdates REPORTS = GuardedUpdates.on("stalled_reports", "id");

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    /** The contract on one pooled database: one fenced row and one plain row, in a table of the class's own. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class On extends StalledHolderContract {
        private final DatabaseKind kind;
        private Jdbi jdbi;
        private LockManager locks;

        On(DatabaseKind kind) {
            this.kind = kind;
        }

        @BeforeAll
        void createTableAndLocks() {
            jdbi = DATABASES.withSchema(kind);
            jdbi.useHandle(handle -> {
                handle.execute("CREATE TABLE stalled_reports (id VARCHAR(20) PRIMARY KEY, holder VARCHAR(40), fence"
                        + " BIGINT)");
                handle.execute("INSERT INTO stalled_reports (id) VALUES ('fenced'), ('plain')");
            });
            locks = JdbcLocks.builder(jdbi).backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
        }

        @AfterAll
        void dropTableAndCloseLocks() {
            // Runs even when createTableAndLocks skipped the class for want of a server.
            if (locks != null) {
                locks.close();
                jdbi.useHandle(handle -> handle.execute("DROP TABLE stalled_reports"));
            }
        }

        @Override
        protected LockManager locks() {
            return locks;
        }

        @Override
        protected Resource fencedResource() {
            return new Row("fenced") {
                @Override
                public Outcome<?> write(long fencingToken, String value) {
                    return jdbi.withHandle(handle -> REPORTS.fencedSet("holder", value, "fence", fencingToken)
                            .apply(handle, "fenced"));
                }
            };
        }

        @Override
        protected Resource unfencedResource() {
            return new Row("plain") {
                @Override
                public Outcome<?> write(long fencingToken, String value) {
                    return Outcome.applied(jdbi.withHandle(handle -> handle.createUpdate(
                            "UPDATE stalled_reports SET holder = :value WHERE id = 'plain'").bind("value", value)
                                    .execute()));
                }
            };
        }

        /** A row of {@code stalled_reports}; subclasses say how it is written. */
        private abstract class Row implements Resource {
            private final String id;

            Row(String id) {
                this.id = id;
            }

            @Override
            public String read() {
                return jdbi.withHandle(handle -> handle.createQuery("SELECT holder FROM stalled_reports WHERE id = :id")
                        .bind("id", id).mapTo(String.class).one());
            }
        }
    }

    @Nested
    final class OnPostgresql extends On {
        OnPostgresql() {
            super(DatabaseKind.POSTGRESQL);
        }
    }

    @Nested
    final class OnMariadb extends On {
        OnMariadb() {
            super(DatabaseKind.MARIADB);
        }
    }
}
