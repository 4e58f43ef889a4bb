package io.raceguard.examples.demo;

import io.raceguard.examples.shop.ShopSettings;
import io.raceguard.testsupport.JdbcService;
import io.raceguard.testsupport.RedisService;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Shop settings that keep the tables on the tests' PostgreSQL and Raceguard's state on their Redis. */
final class ServersForTests {

    private ServersForTests() {}

    /** @return the embedded defaults with both servers that {@code TestServices} found */
    static ShopSettings postgresAndRedis(JdbcService postgres, RedisService redis) {
        ShopSettings settings = ShopSettings.embedded();
        return new ShopSettings(settings.port(), settings.slowCall(), Optional.of(withCredentials(postgres)),
                Optional.of(URI.create(redis.uri())));
    }

    private static String withCredentials(JdbcService postgres) {
        StringBuilder url = new StringBuilder(postgres.jdbcUrl()).append(postgres.jdbcUrl().contains("?") ? '&' : '?');
        url.append("user=").append(URLEncoder.encode(postgres.user() == null ? "postgres" : postgres.user(),
                StandardCharsets.UTF_8));
        if (postgres.password() != null) {
            url.append("&password=").append(URLEncoder.encode(postgres.password(), StandardCharsets.UTF_8));
        }
        return url.toString();
    }
}
