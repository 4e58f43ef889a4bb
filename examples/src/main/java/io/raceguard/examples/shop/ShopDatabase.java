package io.raceguard.examples.shop;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleListener;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

/**
 * The shop's database: H2 in this process by default, or a schema of this run's own on
 * PostgreSQL, dropped again on {@link #close()}. On H2 every handle opens its own connection (H2
 * connections are cheap); on PostgreSQL handles borrow from a pool of at most {@value #POOL_SIZE}
 * connections, which a shared server's connection limit allows and which a round of concurrent
 * requests fills without queueing. Thread-safe.
 */
final class ShopDatabase implements Cleanup {

    /** As many connections as a round has concurrent requests, so that none waits for another. */
    static final int POOL_SIZE = 20;

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/?]*)(/[^?]*)?(\\?.*)?");
    private static final Duration POOL_IDLE_TIMEOUT = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final String name;
    private final String description;
    private final Optional<String> schema;
    private final Runnable dispose;
    private final AtomicInteger openHandles = new AtomicInteger();

    private ShopDatabase(Jdbi jdbi, String name, String description, Optional<String> schema, Runnable dispose) {
        this.jdbi = jdbi;
        this.name = name;
        this.description = description;
        this.schema = schema;
        this.dispose = dispose;
        jdbi.getConfig(Handles.class).addListener(new HandleListener() {
            @Override
            public void handleCreated(Handle handle) {
                openHandles.incrementAndGet();
            }

            @Override
            public void handleClosed(Handle handle) {
                openHandles.decrementAndGet();
            }
        });
    }

    /**
     * An in-memory H2 database of this run's own. H2 drops an in-memory database with its last
     * connection, so one connection is held open until {@link #close()}.
     */
    static ShopDatabase h2(String runId) {
        // LOCK_TIMEOUT: twenty requests queue on one row lock; H2's default second is short on a busy machine.
        String url = "jdbc:h2:mem:raceguard-demo-" + runId + ";LOCK_TIMEOUT=10000";
        Connection keepAlive;
        try {
            keepAlive = DriverManager.getConnection(url);
        } catch (SQLException failed) {
            throw new ConnectionException(failed);
        }
        return new ShopDatabase(Jdbi.create(url), "H2", "H2, in this process", Optional.empty(), () -> {
            try {
                keepAlive.close();
            } catch (SQLException failed) {
                throw new ConnectionException(failed);
            }
        });
    }

    /**
     * A schema named {@code raceguard_demo_<runId>} in the PostgreSQL database at {@code url}, so that
     * several shops can share a server. Every connection, pooled or not, carries {@code connectionName}
     * as its {@code application_name}, so that {@code pg_stat_activity} tells the shop's apart.
     *
     * @throws IllegalArgumentException if {@code url} is not a {@code jdbc:postgresql://} URL
     */
    static ShopDatabase postgres(String url, String runId, String connectionName) {
        Matcher parts = POSTGRES_URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalArgumentException(
                    "RACEGUARD_POSTGRES_URL must look like jdbc:postgresql://host:port/database?user=name");
        }
        String schema = "raceguard_demo_" + runId;
        Properties named = new Properties();
        named.setProperty("ApplicationName", connectionName);
        Jdbi server = Jdbi.create(url, named);
        server.useHandle(handle -> handle.execute("CREATE SCHEMA " + schema));
        String separator = parts.group(3) == null ? "?" : "&";
        HikariDataSource pool;
        try {
            pool = pool(url + separator + "currentSchema=" + schema, connectionName);
        } catch (RuntimeException unreachable) {
            server.useHandle(handle -> handle.execute("DROP SCHEMA " + schema + " CASCADE"));
            throw unreachable;
        }
        String where = parts.group(1) + (parts.group(2) == null ? "" : parts.group(2));
        return new ShopDatabase(Jdbi.create(pool), "PostgreSQL", "PostgreSQL at " + where + ", schema " + schema,
                Optional.of(schema), () -> {
                    try {
                        pool.close();
                    } finally {
                        server.useHandle(handle -> handle.execute("DROP SCHEMA " + schema + " CASCADE"));
                    }
                });
    }

    /** Opens connections as requests need them and closes those left idle, so that a quiet shop holds none. */
    private static HikariDataSource pool(String url, String connectionName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.addDataSourceProperty("ApplicationName", connectionName);
        config.setPoolName(connectionName);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setIdleTimeout(POOL_IDLE_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** @return the kind of database, e.g. {@code H2} */
    String name() {
        return name;
    }

    /** @return where the tables are, for people; never credentials */
    String description() {
        return description;
    }

    /** @return the schema of the shop's tables on PostgreSQL; empty on H2 */
    Optional<String> schema() {
        return schema;
    }

    /** @return the handles open now, each holding a connection: 0 between requests unless one leaked */
    int openHandles() {
        return openHandles.get();
    }

    @Override
    public void close() {
        dispose.run();
    }
}
