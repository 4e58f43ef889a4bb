package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * How to turn each place a server can be found into a service object.
 *
 * @param fromUrl builds the service from a URL and the name of where it came from; throws
 *     IllegalArgumentException for a malformed URL
 * @param fromContainer starts a container and builds the service for it
 */
record ServiceFactory<T>(BiFunction<String, String, T> fromUrl, Supplier<T> fromContainer) {

    ServiceFactory {
        requireNonNull(fromUrl, "fromUrl");
        requireNonNull(fromContainer, "fromContainer");
    }

    static ServiceFactory<JdbcService> postgres() {
        return new ServiceFactory<>(JdbcService::fromUrl, Containers::postgres);
    }

    static ServiceFactory<JdbcService> mariadb() {
        return new ServiceFactory<>(JdbcService::fromUrl, Containers::mariadb);
    }

    static ServiceFactory<RedisService> redis() {
        return new ServiceFactory<>(RedisService::fromUri, Containers::redis);
    }
}
