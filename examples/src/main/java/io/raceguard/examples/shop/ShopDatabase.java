package io.raceguard.examples.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;

/**
 * The shop's database: H2 in this process by default, or a schema of this run's own on
 * PostgreSQL, dropped again on {@link #close()}. Every handle opens its own connection (no pool:
 * H2 connections are cheap, and a demo should not need tuning). Thread-safe.
 */
final class ShopDatabase implements Cleanup {

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/?]*)(/[^?]*)?(\\?.*)?");

    private final Jdbi jdbi;
    private final String name;
    private final String description;
    private final Runnable dispose;

    private ShopDatabase(Jdbi jdbi, String name, String description, Runnable dispose) {
        this.jdbi = jdbi;
        this.name = name;
        this.description = description;
        this.dispose = dispose;
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
        return new ShopDatabase(Jdbi.create(url), "H2", "H2, in this process", () -> {
            try {
                keepAlive.close();
            } catch (SQLException failed) {
                throw new ConnectionException(failed);
            }
        });
    }

    /**
     * A schema named {@code raceguard_demo_<runId>} in the PostgreSQL database at {@code url}, so that
     * several shops can share a server.
     *
     * @throws IllegalArgumentException if {@code url} is not a {@code jdbc:postgresql://} URL
     */
    static ShopDatabase postgres(String url, String runId) {
        Matcher parts = POSTGRES_URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalArgumentException(
                    "RACEGUARD_POSTGRES_URL must look like jdbc:postgresql://host:port/database?user=name");
        }
        String schema = "raceguard_demo_" + runId;
        Jdbi server = Jdbi.create(url);
        server.useHandle(handle -> handle.execute("CREATE SCHEMA " + schema));
        String separator = parts.group(3) == null ? "?" : "&";
        Jdbi jdbi = Jdbi.create(url + separator + "currentSchema=" + schema);
        String where = parts.group(1) + (parts.group(2) == null ? "" : parts.group(2));
        return new ShopDatabase(jdbi, "PostgreSQL", "PostgreSQL at " + where + ", schema " + schema,
                () -> server.useHandle(handle -> handle.execute("DROP SCHEMA " + schema + " CASCADE")));
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

    @Override
    public void close() {
        dispose.run();
    }
}
