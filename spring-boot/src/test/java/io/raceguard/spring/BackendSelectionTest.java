package io.raceguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.jdbc.JdbcCounters;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisCounters;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.net.URI;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The backend is chosen from what the application has, and the choice is logged once at startup. */
@ExtendWith(OutputCaptureExtension.class)
final class BackendSelectionTest {

    // RACEGUARD_REDIS_URL, which points the tests at Redis, binds to raceguard.redis.url too: blank it.
    private final ApplicationContextRunner application = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaceguardAutoConfiguration.class))
            .withPropertyValues("raceguard.redis.url=");

    @Test
    void shouldFallBackToMemoryWithAWarning(CapturedOutput output) {
        application.run(context -> {
            assertThat(context.getBean(Counters.class)).isInstanceOf(InMemoryCounters.class);
            assertThat(output).contains("WARN").contains("Raceguard uses the MEMORY backend")
                    .contains("within this one JVM only");
        });
    }

    @Test
    void shouldStayInMemoryWithADataSourceButWithoutRaceguardJdbc(CapturedOutput output) {
        application.withClassLoader(new FilteredClassLoader("io.raceguard.jdbc"))
                .withBean(DataSource.class, SimpleDriverDataSource::new)
                .run(context -> {
                    assertThat(context.getBean(Counters.class)).isInstanceOf(InMemoryCounters.class);
                    assertThat(output).contains("Raceguard uses the MEMORY backend");
                });
    }

    @Test
    void shouldChooseTheApplicationsDataSource(CapturedOutput output) {
        try (IsolatedDatabase database = TestServices.postgres().isolate(getClass())) {
            application.withBean(DataSource.class, database::dataSource)
                    .withPropertyValues("raceguard.jdbc.create-schema=true")
                    .run(context -> {
                        assertThat(context.getBean(Counters.class)).isInstanceOf(JdbcCounters.class);
                        assertThat(context.getBean(Counters.class).take("stock:7", 1).isApplied()).isFalse();
                        assertThat(output).contains("Raceguard uses the JDBC backend (the application's DataSource)");
                    });
        }
    }

    @Test
    void shouldChooseTheApplicationsJedisClient(CapturedOutput output) {
        RedisService redis = TestServices.redis();
        try (RedisClient client = RedisClient.create(URI.create(redis.uri()))) {
            application.withBean(UnifiedJedis.class, () -> client).run(context -> {
                assertThat(context.getBean(Counters.class)).isInstanceOf(RedisCounters.class);
                assertThat(output).contains("Raceguard uses the REDIS backend (the application's UnifiedJedis)");
            });
        }
    }

    @Test
    void shouldConnectToTheConfiguredRedisUrlUnderTheKeyPrefix(CapturedOutput output) {
        RedisService redis = TestServices.redis();
        try (RedisKeyspace keyspace = redis.isolate(getClass())) {
            application.withPropertyValues("raceguard.redis.url=" + redis.uri(),
                    "raceguard.redis.key-prefix=" + keyspace.prefix()).run(context -> {
                        assertThat(context.getBean(Counters.class)).isInstanceOf(RedisCounters.class);
                        assertThat(context.getBean(LockManager.class).tryAcquire("selection-test",
                                LeaseOptions.ttl(Duration.ofSeconds(10)))).isPresent();
                        assertThat(keyspace.remainingKeys()).isNotEmpty()
                                .allMatch(key -> key.startsWith(keyspace.prefix() + "lock:"));
                        assertThat(output).contains("Raceguard uses the REDIS backend (raceguard.redis.url)");
                    });
        }
    }

    @Test
    void shouldObeyTheForcedBackend(CapturedOutput output) {
        try (IsolatedDatabase database = TestServices.postgres().isolate(getClass())) {
            application.withBean(DataSource.class, database::dataSource)
                    .withPropertyValues("raceguard.backend=memory")
                    .run(context -> {
                        assertThat(context.getBean(Counters.class)).isInstanceOf(InMemoryCounters.class);
                        assertThat(output).contains("Raceguard uses the MEMORY backend (raceguard.backend=memory)");
                    });
        }
    }
}
