package io.raceguard.spring;

/** Where the auto-configured Raceguard beans keep their state; {@code raceguard.backend} forces one. */
public enum Backend {
    /** This JVM's memory: correct for one instance of the application only. */
    MEMORY,
    /** The application's {@code DataSource}, through {@code raceguard-jdbc}. */
    JDBC,
    /** Redis, through {@code raceguard-redis} and a Jedis {@code UnifiedJedis}. */
    REDIS
}
