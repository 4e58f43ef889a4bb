package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.limit.RateLimit;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every API that takes a table, schema or column name refuses each {@linkplain HostileIdentifiers
 * hostile identifier} with an {@code IllegalArgumentException} before any I/O: the stores are built
 * on a database that counts connection attempts and must see none.
 */
final class IdentifierInjectionTest {

    private final AtomicInteger connectionAttempts = new AtomicInteger();
    private final Jdbi unreachable = Jdbi.create(() -> {
        connectionAttempts.incrementAndGet();
        throw new SQLException("no I/O may happen for a rejected identifier");
    });

    @ParameterizedTest
    @MethodSource("io.raceguard.jdbc.HostileIdentifiers#all")
    void shouldRejectAHostileTableOrSchemaNameForEveryStoreBeforeAnyIo(String hostile) {
        TableNames defaults = TableNames.defaults();
        RateLimit limit = RateLimit.fixedWindow(1, Duration.ofSeconds(1));

        assertAllRejected(hostile, List.of(
                () -> JdbcLocks.create(unreachable, defaults.withLocks(hostile)),
                () -> JdbcLocks.builder(unreachable).tableNames(defaults.withLockFence(hostile)),
                () -> JdbcCounters.create(unreachable, defaults.withCounters(hostile)),
                () -> JdbcRateLimiter.create(unreachable, limit, defaults.withRateLimits(hostile)),
                () -> JdbcIdempotencyStore.create(unreachable, defaults.withIdempotency(hostile)),
                () -> Schema.builder().tableNames(defaults.inSchema(hostile)).build().create(unreachable),
                () -> new TableNames(hostile, TableNames.DEFAULT_LOCK_FENCE, TableNames.DEFAULT_COUNTERS,
                        TableNames.DEFAULT_RATE_LIMITS, TableNames.DEFAULT_IDEMPOTENCY),
                () -> new TableNames(TableNames.DEFAULT_LOCKS, hostile, TableNames.DEFAULT_COUNTERS,
                        TableNames.DEFAULT_RATE_LIMITS, TableNames.DEFAULT_IDEMPOTENCY),
                () -> new TableNames(TableNames.DEFAULT_LOCKS, TableNames.DEFAULT_LOCK_FENCE, hostile,
                        TableNames.DEFAULT_RATE_LIMITS, TableNames.DEFAULT_IDEMPOTENCY),
                () -> new TableNames(TableNames.DEFAULT_LOCKS, TableNames.DEFAULT_LOCK_FENCE,
                        TableNames.DEFAULT_COUNTERS,
                        hostile, TableNames.DEFAULT_IDEMPOTENCY),
                () -> new TableNames(TableNames.DEFAULT_LOCKS, TableNames.DEFAULT_LOCK_FENCE,
                        TableNames.DEFAULT_COUNTERS,
                        TableNames.DEFAULT_RATE_LIMITS, hostile)));
    }

    @ParameterizedTest
    @MethodSource("io.raceguard.jdbc.HostileIdentifiers#all")
    void shouldRejectAHostileTableOrColumnNameForGuardedUpdatesAndRowLocksBeforeAnyIo(String hostile) {
        GuardedUpdates accounts = GuardedUpdates.on("accounts", "id");

        assertAllRejected(hostile, List.of(
                () -> GuardedUpdates.on(hostile, "id"),
                () -> GuardedUpdates.on("accounts", hostile),
                () -> accounts.decrement(hostile, 1),
                () -> accounts.decrement(hostile, 1, 0),
                () -> accounts.increment(hostile, 1, 10),
                () -> accounts.increment("balance", 1, hostile),
                () -> accounts.compareAndSet(hostile, "a", "b"),
                () -> accounts.setIfVersion(hostile, "a", "version", 0),
                () -> accounts.setIfVersion("status", "a", hostile, 0),
                () -> accounts.fencedSet(hostile, "a", "fence", 0),
                () -> accounts.fencedSet("status", "a", hostile, 0),
                () -> accounts.insertIfAbsent(closedHandle(), Map.of(hostile, 1), Long.class),
                () -> RowLocks.on(hostile, "id"),
                () -> RowLocks.on("accounts", hostile)));
    }

    /** A handle on an embedded database, closed: any use of it would fail with something other than the check. */
    private static Handle closedHandle() {
        Handle handle = Jdbi.create("jdbc:h2:mem:").open();
        handle.close();
        return handle;
    }

    private void assertAllRejected(String hostile, List<ThrowingCallable> calls) {
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i))
                    .as("call %d with \"%s\"", i, hostile)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(connectionAttempts).as("connection attempts").hasValue(0);
    }
}
