package io.raceguard.spring.shop;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The scenarios on PostgreSQL, chosen from the application's DataSource, its tables created at startup. */
@DirtiesContext
final class PostgresShopTest extends ShopScenarios {

    private static IsolatedDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        database = TestServices.postgres().isolate(PostgresShopTest.class);
        properties.add("spring.datasource.url", database::jdbcUrl);
        properties.add("spring.datasource.username", database::user);
        properties.add("spring.datasource.password", database::password);
        properties.add("spring.datasource.hikari.maximum-pool-size", () -> "30");
        properties.add("raceguard.jdbc.create-schema", () -> "true");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }
}
