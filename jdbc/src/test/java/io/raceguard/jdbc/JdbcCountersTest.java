package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.testing.contract.CountersContract;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The counters kit on each database, and the stock race a naive read-then-write loses. */
final class JdbcCountersTest {

    private static final StoreDatabases DATABASES = new StoreDatabases(JdbcCountersTest.class);

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    @Nested
    final class OnH2 extends CountersContract {
        @Override
        protected Counters counters() {
            return JdbcCounters.create(DATABASES.withSchema(DatabaseKind.H2));
        }
    }

    @Nested
    final class OnPostgresql extends CountersContract {
        @Override
        protected Counters counters() {
            return JdbcCounters.create(DATABASES.withSchema(DatabaseKind.POSTGRESQL));
        }
    }

    @Nested
    final class OnMariadb extends CountersContract {
        @Override
        protected Counters counters() {
            return JdbcCounters.create(DATABASES.withSchema(DatabaseKind.MARIADB));
        }
    }

    @Test
    void shouldOversellTheLastItemWithANaiveReadThenWriteWhereTakeSellsItOnce() throws Exception {
        Jdbi jdbi = DATABASES.withSchema(DatabaseKind.POSTGRESQL);
        Counters counters = JdbcCounters.create(jdbi);
        String key = "stock:naive-vs-take";
        counters.set(key, 1);
        byte[] hash = KeyDigest.of(key);
        CountDownLatch checked = new CountDownLatch(5);

        List<Boolean> naiveSales = StartGate.runTogether(5, i -> () -> jdbi.inTransaction(handle -> {
            long level = handle.createQuery("SELECT level FROM raceguard_counters WHERE key_hash = :hash")
                    .bind("hash", hash).mapTo(Long.class).one();
            StartGate.awaitAll(checked);
            if (level < 1) {
                return false;
            }
            handle.createUpdate("UPDATE raceguard_counters SET level = :level WHERE key_hash = :hash")
                    .bind("level", level - 1).bind("hash", hash).execute();
            return true;
        }));
        assertThat(naiveSales).as("naive: every buyer got the last item").containsOnly(true);
        assertThat(counters.get(key)).hasValue(0);

        counters.set(key, 1);
        List<Outcome<Long>> takes = StartGate.runTogether(5, i -> () -> counters.take(key, 1));

        assertThat(takes).filteredOn(Outcome::isApplied).extracting(Outcome::value).containsExactly(0L);
        assertThat(takes).filteredOn(outcome -> !outcome.isApplied())
                .extracting(Outcome::rejection).containsOnly(Rejection.CONDITION_FAILED).hasSize(4);
        assertThat(counters.get(key)).hasValue(0);
        counters.delete(key);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldAddUpToTheLargestLevelWithoutOverflow(DatabaseKind kind) {
        Counters counters = JdbcCounters.create(DATABASES.withSchema(kind));
        String key = "overflow:" + kind;
        counters.set(key, Long.MAX_VALUE - 1);

        assertThat(counters.add(key, 2, Long.MAX_VALUE).rejection()).isEqualTo(Rejection.CONDITION_FAILED);
        assertThat(counters.add(key, 1, Long.MAX_VALUE).value()).isEqualTo(Long.MAX_VALUE);
        assertThat(counters.add(key, Long.MAX_VALUE, Long.MAX_VALUE).rejection()).isEqualTo(Rejection.CONDITION_FAILED);
        assertThat(counters.take(key, Long.MAX_VALUE).value()).isZero();
        assertThat(counters.get(key)).isEqualTo(OptionalLong.of(0));
        counters.delete(key);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldKeepCountersInTheTableNamedByTableNames(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        TableNames names = new TableNames("own_locks", "own_fence", "own_counters", "own_limits", "own_idempotency");
        Schema schema = Schema.builder().tableNames(names).build();
        schema.create(jdbi);
        try {
            Counters counters = JdbcCounters.create(jdbi, names);
            counters.set("k", 3);

            assertThat(JdbcCounters.create(jdbi).get("k")).as("the default table").isEmpty();
            assertThat(counters.take("k", 1).value()).isEqualTo(2L);
        } finally {
            schema.drop(jdbi);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCommitTheCountOnItsOwnWhenTheCallersTransactionRollsBack(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        Counters counters = JdbcCounters.create(jdbi);
        CallersTable table = CallersTable.create(jdbi, "callers_counts");
        String key = "outside-the-caller:" + kind;

        Outcome<Long> added = jdbi.inTransaction(handle -> {
            table.write(handle, "the caller's own write");
            Outcome<Long> inside = counters.add(key, 1, 10);
            handle.rollback();
            return inside;
        });

        assertThat(added.value()).isEqualTo(1L);
        assertThat(table.notes(jdbi)).as("the caller's own write, which it rolled back").isEmpty();
        assertThat(counters.get(key)).as("the count, committed on its own").isEqualTo(OptionalLong.of(1));
        counters.delete(key);
        table.drop(jdbi);
    }
}
