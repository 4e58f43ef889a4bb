package io.raceguard.testsupport;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the servers in Docker when no variable names one and a Docker engine answers. Each is
 * started at most once per JVM (the caller memoizes) and removed by Testcontainers' reaper when
 * the JVM exits, so none is ever stopped here.
 */
final class Containers {

    static final String POSTGRES_IMAGE = "postgres:15-alpine";
    static final String MARIADB_IMAGE = "mariadb:10.11";
    static final String REDIS_IMAGE = "redis:7-alpine";

    private static final int REDIS_PORT = 6379;

    private Containers() {}

    static JdbcService postgres() {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
        container.start();
        return jdbc(container.getJdbcUrl(), container.getUsername(), container.getPassword(), POSTGRES_IMAGE);
    }

    static JdbcService mariadb() {
        // root, because each test class creates a database of its own
        MariaDBContainer container = new MariaDBContainer(DockerImageName.parse(MARIADB_IMAGE)).withUsername("root");
        container.start();
        return jdbc(container.getJdbcUrl(), container.getUsername(), container.getPassword(), MARIADB_IMAGE);
    }

    static RedisService redis() {
        GenericContainer<?> container =
                new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(REDIS_PORT);
        container.start();
        return new RedisService(container.getHost(), container.getMappedPort(REDIS_PORT), "Testcontainers "
                + REDIS_IMAGE);
    }

    private static JdbcService jdbc(String url, String user, String password, String image) {
        JdbcService withoutCredentials = JdbcService.fromUrl(url, "Testcontainers " + image);
        return new JdbcService(withoutCredentials.jdbcUrl(), user, password, withoutCredentials.source());
    }
}
