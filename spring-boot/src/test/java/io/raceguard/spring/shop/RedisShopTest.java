package io.raceguard.spring.shop;

import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The scenarios on Redis, chosen from {@code raceguard.redis.url}, in a keyspace of their own. */
@DirtiesContext
@TestPropertySource(properties = ShopScenarios.NO_DATA_SOURCE)
final class RedisShopTest extends ShopScenarios {

    private static RedisService redis;
    private static RedisKeyspace keyspace;

    /** Runs before the application starts, so that the class is skipped when Redis is absent. */
    @BeforeAll
    static void isolateKeyspace() {
        redis = TestServices.redis();
        keyspace = redis.isolate(RedisShopTest.class);
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("raceguard.redis.url", () -> redis.uri());
        properties.add("raceguard.redis.key-prefix", () -> keyspace.prefix());
    }

    @AfterAll
    static void deleteKeys() {
        if (keyspace != null) {
            keyspace.close();
        }
    }
}
