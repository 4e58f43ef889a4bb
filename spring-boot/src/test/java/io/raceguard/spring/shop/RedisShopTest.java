package io.raceguard.spring.shop;

import io.raceguard.testsupport.TestServices;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The scenarios on Redis, chosen from {@code raceguard.redis.url}. */
@DirtiesContext
@TestPropertySource(properties = ShopScenarios.NO_DATA_SOURCE)
final class RedisShopTest extends ShopScenarios {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("raceguard.redis.url", TestServices.redis()::uri);
    }
}
