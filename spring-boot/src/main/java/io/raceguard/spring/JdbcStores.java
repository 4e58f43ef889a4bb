package io.raceguard.spring;

import io.raceguard.jdbc.JdbcCounters;
import io.raceguard.jdbc.JdbcIdempotencyStore;
import io.raceguard.jdbc.JdbcLocks;
import io.raceguard.jdbc.JdbcRateLimiter;
import io.raceguard.jdbc.Schema;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** Builds the JDBC backend; loaded only when raceguard-jdbc is on the classpath. */
final class JdbcStores {

    private JdbcStores() {}

    static RaceguardStores create(DataSource dataSource, boolean createSchema) {
        if (createSchema) {
            Schema.defaults().create(dataSource);
        }
        Jdbi jdbi = Jdbi.create(dataSource);
        return new RaceguardStores(Backend.JDBC, JdbcLocks.create(jdbi), JdbcCounters.create(jdbi),
                JdbcIdempotencyStore.create(jdbi), limit -> JdbcRateLimiter.create(jdbi, limit), () -> { });
    }
}
