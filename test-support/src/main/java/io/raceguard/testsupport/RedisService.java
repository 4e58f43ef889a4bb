package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.regex.Pattern;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * A Redis server that tests may use, as found by {@link TestServices}: no password, database 0.
 *
 * <p>The server is shared with other test classes, other JVMs and other people: a test class writes
 * only keys under its own prefix from {@link #isolate(Class)} and never flushes the database.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the host name or address
 * @param port the TCP port, 1 to 65535
 * @param source where the server was found, for logs: the variable name, {@code Testcontainers ...}
 *     or {@code localhost:PORT}
 */
public record RedisService(String host, int port, String source) {

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Pattern GLOB_METACHARACTER = Pattern.compile("[*?\\[\\]\\\\]");

    /**
     * @throws NullPointerException if {@code host} or {@code source} is null
     * @throws IllegalArgumentException if {@code host} is blank or {@code port} is outside 1 to 65535
     */
    public RedisService {
        requireNonNull(host, "host");
        requireNonNull(source, "source");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
    }

    /**
     * @param uri {@code redis://host[:port]}, optionally ending in {@code /} or {@code /0}; the port
     *     defaults to 6379
     * @param source where the URI came from, for logs
     * @return the service
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code uri} is not such a URI; credentials, TLS and other
     *     database numbers are refused rather than silently ignored
     */
    public static RedisService fromUri(String uri, String source) {
        requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = URI.create(uri.trim());
        } catch (IllegalArgumentException e) {
            // the cause would repeat the whole URI, credentials included
            throw new IllegalArgumentException("expected redis://host:port, was '" + RedactedUrl.of(uri) + "'");
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        boolean plain = "redis".equals(parsed.getScheme())
                && parsed.getHost() != null
                && parsed.getRawUserInfo() == null
                && parsed.getRawQuery() == null
                && (path.isEmpty() || path.equals("/") || path.equals("/0"));
        if (!plain) {
            throw new IllegalArgumentException("expected redis://host:port (no password, no TLS, database 0), was '"
                    + RedactedUrl.of(uri) + "'");
        }
        String host = parsed.getHost().startsWith("[") ? parsed.getHost().substring(1, parsed.getHost().length() - 1)
                : parsed.getHost();
        return new RedisService(host, parsed.getPort() == -1 ? 6379 : parsed.getPort(), source);
    }

    /** @return {@code redis://host:port}, with an IPv6 host in brackets */
    public String uri() {
        return "redis://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Opens a plain connection with ten-second connect and read timeouts.
     *
     * @return a new connection; the caller closes it; not thread-safe
     * @throws redis.clients.jedis.exceptions.JedisConnectionException if the server cannot be reached
     */
    public Jedis connect() {
        Jedis jedis = new Jedis(host, port, DefaultJedisClientConfig.builder()
                .autoNegotiateProtocol(false)
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .build());
        jedis.connect();
        return jedis;
    }

    /**
     * Reserves a key prefix that only the calling test class uses, named after {@code testClass}
     * plus a random suffix. No I/O happens here. Close the keyspace (for example in
     * {@code @AfterAll}) to delete every key under the prefix.
     *
     * @param testClass the test class the keys are for; only its simple name is used
     * @return the keyspace
     * @throws NullPointerException if {@code testClass} is null
     */
    public RedisKeyspace isolate(Class<?> testClass) {
        return new RedisKeyspace(this, IsolationName.forClass(requireNonNull(testClass, "testClass")) + ":");
    }

    /**
     * The keys under a prefix that other code chose, such as a service under test, to list them and,
     * on {@link RedisKeyspace#close()}, to delete them. No I/O happens here.
     *
     * @param prefix the prefix, ending in {@code :} and free of the glob metacharacters
     *     {@code * ? [ ] \}, so that {@code SCAN MATCH prefix*} matches exactly the keys under it
     * @return the keyspace
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if {@code prefix} does not end in {@code :} or holds a glob
     *     metacharacter
     */
    public RedisKeyspace keyspace(String prefix) {
        requireNonNull(prefix, "prefix");
        if (!prefix.endsWith(":") || GLOB_METACHARACTER.matcher(prefix).find()) {
            throw new IllegalArgumentException(
                    "prefix must end in ':' and hold none of * ? [ ] \\, was '" + prefix + "'");
        }
        return new RedisKeyspace(this, prefix);
    }
}
