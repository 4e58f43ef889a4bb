package io.raceguard.spring.shop;

import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The scenarios on Redis, chosen from {@code raceguard.redis.url}, in a keyspace of their own. */
@DirtiesContext
@TestPropertySource(properties = ShopScenarios.NO_DATA_SOURCE)
final class RedisShopTest extends ShopScenarios {

    private static RedisKeyspace keyspace;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        keyspace = TestServices.redis().isolate(RedisShopTest.class);
        properties.add("raceguard.redis.url", TestServices.redis()::uri);
        properties.add("raceguard.redis.key-prefix", keyspace::prefix);
    }

    @AfterAll
    static void deleteKeys() {
        keyspace.close();
    }
}
