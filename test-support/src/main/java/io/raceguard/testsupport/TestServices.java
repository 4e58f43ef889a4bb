package io.raceguard.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Where tests find PostgreSQL, MariaDB and Redis. Each method looks, in this order:
 * <ol>
 *   <li>the environment variable {@code RACEGUARD_POSTGRES_URL}
 *       ({@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), {@code RACEGUARD_MARIADB_URL}
 *       ({@code jdbc:mariadb://127.0.0.1:3306/test?user=root}) or {@code RACEGUARD_REDIS_URL}
 *       ({@code redis://127.0.0.1:6379}); JDBC URLs may carry {@code user} and {@code password};
 *   <li>a Testcontainers container, when a Docker engine answers, started once and shared by the JVM;
 *   <li>the standard port on 127.0.0.1 (5432, 3306, 6379), when the server answers there with its
 *       default credentials ({@code postgres}; {@code root} with no password; no password);
 *   <li>nowhere: the calling test is skipped ({@code Assumptions.abort}) with a message naming the
 *       variable to set, or fails if {@code RACEGUARD_REQUIRE_SERVICES=true} (CI sets it).
 * </ol>
 * Each server is looked for once per JVM; the outcome, including "not found", is logged once and
 * reused. A test class then takes its own namespace, for example:
 * <pre>{@code
 * private static IsolatedDatabase database;
 *
 * @BeforeAll static void createSchema() { database = TestServices.postgres().isolate(MyTest.class); }
 * @AfterAll static void dropSchema() { database.close(); }
 * }</pre>
 *
 * <p>Thread-safe: test classes running in parallel share one lookup per server.
 */
public final class TestServices {

    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);

    private static final Once<Boolean> DOCKER_ANSWERS = new Once<>(TestServices::dockerAnswers);
    private static final ServiceResolver RESOLVER =
            new ServiceResolver(System.getenv(), DOCKER_ANSWERS::get, new LoopbackProbe());

    private static final Once<Resolution<JdbcService>> POSTGRES = lookup(ServiceKind.POSTGRES,
            ServiceFactory.postgres());
    private static final Once<Resolution<JdbcService>> MARIADB = lookup(ServiceKind.MARIADB, ServiceFactory.mariadb());
    private static final Once<Resolution<RedisService>> REDIS = lookup(ServiceKind.REDIS, ServiceFactory.redis());

    private TestServices() {}

    /**
     * @return the PostgreSQL server to test against
     * @throws org.opentest4j.TestAbortedException if none was found (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError if none was found and {@code RACEGUARD_REQUIRE_SERVICES=true}
     * @throws IllegalStateException if {@code RACEGUARD_POSTGRES_URL} is malformed or the container did not start
     */
    public static JdbcService postgres() {
        return POSTGRES.get().service();
    }

    /**
     * @return the MariaDB server to test against
     * @throws org.opentest4j.TestAbortedException if none was found (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError if none was found and {@code RACEGUARD_REQUIRE_SERVICES=true}
     * @throws IllegalStateException if {@code RACEGUARD_MARIADB_URL} is malformed or the container did not start
     */
    public static JdbcService mariadb() {
        return MARIADB.get().service();
    }

    /**
     * @return the Redis server to test against
     * @throws org.opentest4j.TestAbortedException if none was found (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError if none was found and {@code RACEGUARD_REQUIRE_SERVICES=true}
     * @throws IllegalStateException if {@code RACEGUARD_REDIS_URL} is malformed or the container did not start
     */
    public static RedisService redis() {
        return REDIS.get().service();
    }

    private static <T> Once<Resolution<T>> lookup(ServiceKind kind, ServiceFactory<T> factory) {
        return new Once<>(() -> {
            Resolution<T> resolution = RESOLVER.resolve(kind, factory);
            LOG.info("{} for tests: {}", kind.displayName(), resolution.describe());
            return resolution;
        });
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            LOG.debug("no Docker engine", e);
            return false;
        }
    }
}
