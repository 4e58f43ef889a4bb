package io.raceguard.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL schema for one benchmark trial, reached through a small fixed pool that
 * every implementation of a suite shares the settings of: {@link #POOL_SIZE} connections, no
 * transaction-aware wrapping, and, as in {@link BenchmarkServices#postgresPool}, commits that do not
 * wait for the WAL flush (this pool's sessions only), so that a disk shared with other work does not
 * swamp what the clients differ in.
 *
 * <p>The server is {@code RACEGUARD_POSTGRES_URL} if set, else {@value #DEFAULT_URL}. Each instance
 * creates its own schema, so that it never meets other users' tables, and drops it on {@link #close}.
 * Not thread-safe to open or close; the data source it hands out is.
 */
final class BenchPostgres implements AutoCloseable {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final int POOL_SIZE = 8;

    private final String schema;
    private final PGSimpleDataSource admin;
    private final HikariDataSource pool;

    private BenchPostgres(String schema, PGSimpleDataSource admin, HikariDataSource pool) {
        this.schema = schema;
        this.admin = admin;
        this.pool = pool;
    }

    /**
     * @param socketFactory a {@link javax.net.SocketFactory} class the driver opens its sockets with,
     *     or null for the default
     * @return a new schema and a pool whose connections use it
     */
    static BenchPostgres open(Class<?> socketFactory) throws SQLException {
        String variable = System.getenv(BenchmarkServices.POSTGRES_VARIABLE);
        String url = variable == null || variable.isBlank() ? DEFAULT_URL : variable.trim();
        String schema = BenchmarkServices.uniqueName("bench_schema");
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setURL(url);
        target.setCurrentSchema(schema);
        target.setSslMode("disable");
        target.setOptions("-c synchronous_commit=off");
        if (socketFactory != null) {
            target.setSocketFactory(socketFactory.getName());
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setPoolName(schema);
        return new BenchPostgres(schema, admin, new HikariDataSource(config));
    }

    DataSource dataSource() {
        return pool;
    }

    /** Closes the pool and drops the schema with everything in it. */
    @Override
    public void close() throws SQLException {
        pool.close();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
