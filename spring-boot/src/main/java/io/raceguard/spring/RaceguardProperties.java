package io.raceguard.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code raceguard.*} settings of the auto-configuration. Bound once at startup; not meant to
 * change afterwards.
 */
@ConfigurationProperties("raceguard")
public class RaceguardProperties {

    /** The backend to use; unset, it is chosen from what the application has: DataSource, then Redis, then memory. */
    private Backend backend;

    private final Jdbc jdbc = new Jdbc();

    private final Redis redis = new Redis();

    /** @return the forced backend, or null to choose one */
    public Backend getBackend() {
        return backend;
    }

    /** @param backend the forced backend, or null to choose one */
    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    /** @return the JDBC settings */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the Redis settings */
    public Redis getRedis() {
        return redis;
    }

    /** The {@code raceguard.jdbc.*} settings. */
    public static class Jdbc {

        /**
         * Whether to create Raceguard's tables at startup (IF NOT EXISTS). Off by default: apply the DDL that
         * raceguard-jdbc ships (Schema.resource(dialect)) with Flyway or Liquibase instead.
         */
        private boolean createSchema;

        /** @return whether the tables are created at startup */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /** @param createSchema whether the tables are created at startup */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** The {@code raceguard.redis.*} settings. */
    public static class Redis {

        /** A Redis URI (redis://host:port/db) to connect to when the application has no UnifiedJedis bean. */
        private String url;

        /**
         * Prepended to every Redis key of the starter's stores, before each store's own part (lock:, counter:,
         * idempotency:, limit:), so that applications sharing one Redis keep apart.
         */
        private String keyPrefix = "raceguard:";

        /** @return the prefix of every key */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix the prefix of every key */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** @return the Redis URI, or null */
        public String getUrl() {
            return url;
        }

        /** @param url the Redis URI, or null */
        public void setUrl(String url) {
            this.url = url;
        }
    }
}
