package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.jdbc.GuardedUpdates;
import io.raceguard.jdbc.Transactions;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real serialization conflict and a real stale fence on PostgreSQL are each counted once. */
final class MeteredPostgresTest {

    private static IsolatedDatabase database;
    private static Jdbi jdbi;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterReadings meters = new MeterReadings(registry);

    @BeforeAll
    static void openDatabase() {
        database = TestServices.postgres().isolate(MeteredPostgresTest.class);
        jdbi = Jdbi.create(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aSerializationConflictCountsOneRetryWithCauseSerialization() {
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE stock (id INT PRIMARY KEY, v BIGINT NOT NULL)"));
        jdbi.useHandle(handle -> handle.execute("INSERT INTO stock VALUES (1, 0)"));
        Transactions transactions = Transactions.builder(jdbi).events("orders", RaceguardMeters.of(registry)).build();
        AtomicInteger attempts = new AtomicInteger();

        transactions.inTransaction(handle -> {
            handle.select("SELECT v FROM stock WHERE id = 1").mapTo(Long.class).one();
            if (attempts.incrementAndGet() == 1) {
                // another connection commits a change to the row this transaction has read
                jdbi.useHandle(other -> other.execute("UPDATE stock SET v = v + 1 WHERE id = 1"));
            }
            return handle.execute("UPDATE stock SET v = v + 1 WHERE id = 1");
        });

        assertThat(attempts).hasValue(2);
        assertThat(meters.count("raceguard.transaction.retries", "name", "orders", "backend", "jdbc",
                "cause", "serialization")).isEqualTo(1);
        assertThat(meters.count("raceguard.transaction.retries", "cause", "deadlock")).isZero();
        assertThat(meters.count("raceguard.transaction.attempts", "name", "orders")).isEqualTo(2);
        assertThat(meters.count("raceguard.transaction.exhausted", "name", "orders")).isZero();
        long level = jdbi.withHandle(handle -> handle.select("SELECT v FROM stock").mapTo(Long.class).one());
        assertThat(level).as("the interfering update and the retried one").isEqualTo(2);
    }

    @Test
    void aStaleFencedWriteCountsOneRefusal() {
        jdbi.useHandle(handle -> handle.execute(
                "CREATE TABLE documents (id TEXT PRIMARY KEY, body TEXT, fence BIGINT)"));
        jdbi.useHandle(handle -> handle.execute("INSERT INTO documents (id) VALUES ('doc-1')"));
        GuardedUpdates documents = GuardedUpdates.on("documents", "id")
                .withEvents("documents", RaceguardMeters.of(registry));

        Outcome<String> newHolder = jdbi.withHandle(handle -> write(documents, handle, "new holder", 8));
        Outcome<String> staleHolder = jdbi.withHandle(handle -> write(documents, handle, "stale holder", 7));

        assertThat(newHolder.isApplied()).isTrue();
        assertThat(staleHolder.rejection()).isEqualTo(Rejection.STALE_FENCE);
        assertThat(meters.count("raceguard.fence.refused", "name", "documents", "backend", "jdbc")).isEqualTo(1);
    }

    private static Outcome<String> write(GuardedUpdates documents, Handle handle, String body, long token) {
        return documents.fencedSet("body", body, "fence", token).apply(handle, "doc-1");
    }
}
