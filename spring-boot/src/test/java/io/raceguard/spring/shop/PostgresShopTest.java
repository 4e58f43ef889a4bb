package io.raceguard.spring.shop;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The scenarios on PostgreSQL, chosen from the application's DataSource, its tables created at startup. */
@DirtiesContext
final class PostgresShopTest extends ShopScenarios {

    private static IsolatedDatabase database;

    /** Runs before the application starts, so that the class is skipped when PostgreSQL is absent. */
    @BeforeAll
    static void isolateDatabase() {
        database = TestServices.postgres().isolate(PostgresShopTest.class);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", () -> database.jdbcUrl());
        properties.add("spring.datasource.username", () -> database.user());
        properties.add("spring.datasource.password", () -> database.password());
        properties.add("spring.datasource.hikari.maximum-pool-size", () -> "30");
        properties.add("raceguard.jdbc.create-schema", () -> "true");
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
