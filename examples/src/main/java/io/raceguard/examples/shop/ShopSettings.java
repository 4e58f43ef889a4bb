package io.raceguard.examples.shop;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link Shop}: its port, how long its simulated slow calls take, and where it keeps
 * its data. Immutable; validated when built.
 *
 * @param port the loopback port to listen on, 0 for a free one
 * @param slowCall how long each simulated slow call (fraud check, payment, password hash) takes
 *     between an endpoint's check and its act: from 1 ms to 10 s
 * @param postgresUrl a {@code jdbc:postgresql://} URL to keep the shop's tables in, in a schema of the
 *     shop's own; empty for H2 in this process
 * @param redisUri a {@code redis://} URI to keep the guarded endpoints' counters, rate limits and
 *     idempotency records on; empty to keep them in the shop's database
 */
public record ShopSettings(int port, Duration slowCall, Optional<String> postgresUrl, Optional<URI> redisUri) {

    /** The default {@link #slowCall()}: 10 ms, a quick fraud check or payment call. */
    public static final Duration DEFAULT_SLOW_CALL = Duration.ofMillis(10);

    /** The environment variable that moves the shop's tables to PostgreSQL. */
    public static final String POSTGRES_VARIABLE = "RACEGUARD_POSTGRES_URL";

    /** The environment variable that moves the guarded endpoints' Raceguard state to Redis. */
    public static final String REDIS_VARIABLE = "RACEGUARD_REDIS_URL";

    private static final Duration MAX_SLOW_CALL = Duration.ofSeconds(10);

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535, {@code slowCall} outside
     *     1 ms..10 s, or {@code redisUri} is not a {@code redis://} or {@code rediss://} URI with a host
     */
    public ShopSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        requireNonNull(slowCall, "slowCall");
        if (slowCall.compareTo(Duration.ofMillis(1)) < 0 || slowCall.compareTo(MAX_SLOW_CALL) > 0) {
            throw new IllegalArgumentException("slowCall must be from 1 ms to 10 s, was " + slowCall);
        }
        requireNonNull(postgresUrl, "postgresUrl");
        requireNonNull(redisUri, "redisUri");
        redisUri.ifPresent(uri -> {
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("redisUri must look like redis://host:port");
            }
        });
    }

    /** @return everything in this process: H2, a free port, the default slow call */
    public static ShopSettings embedded() {
        return new ShopSettings(0, DEFAULT_SLOW_CALL, Optional.empty(), Optional.empty());
    }

    /**
     * @param environment the process environment, e.g. {@link System#getenv()}
     * @return {@link #embedded()}, with PostgreSQL if {@value #POSTGRES_VARIABLE} is set and Redis if
     *     {@value #REDIS_VARIABLE} is set
     * @throws IllegalArgumentException if {@value #REDIS_VARIABLE} is not a usable URI
     */
    public static ShopSettings fromEnvironment(Map<String, String> environment) {
        requireNonNull(environment, "environment");
        Optional<String> postgres = Optional.ofNullable(environment.get(POSTGRES_VARIABLE))
                .filter(url -> !url.isBlank());
        Optional<URI> redis = Optional.ofNullable(environment.get(REDIS_VARIABLE))
                .filter(url -> !url.isBlank())
                .map(ShopSettings::redisUri);
        return new ShopSettings(0, DEFAULT_SLOW_CALL, postgres, redis);
    }

    /**
     * @param port the port, 0 for a free one
     * @return a copy listening on that port
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public ShopSettings withPort(int port) {
        return new ShopSettings(port, slowCall, postgresUrl, redisUri);
    }

    private static URI redisUri(String text) {
        try {
            return URI.create(text.strip());
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException(REDIS_VARIABLE + " is not a URI: " + malformed.getMessage(), malformed);
        }
    }
}
