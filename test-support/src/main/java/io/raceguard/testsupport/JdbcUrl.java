package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single-host PostgreSQL or MariaDB JDBC URL taken apart, so that credentials can be lifted out
 * of it and a schema or database swapped in. Immutable.
 *
 * @param dialect which server the URL is for
 * @param authority {@code host[:port]}
 * @param database the database after the first slash, possibly empty
 * @param parameters the query parameters in their original order, values still URL-encoded
 */
record JdbcUrl(Dialect dialect, String authority, String database, Map<String, String> parameters) {

    private static final Pattern SHAPE =
            Pattern.compile("(jdbc:(?:postgresql|mariadb)://)([^/?#@,]+)(?:/([^?#]*))?(?:\\?([^#]*))?");

    JdbcUrl {
        requireNonNull(dialect, "dialect");
        requireNonNull(authority, "authority");
        requireNonNull(database, "database");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * @param url a URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
     * @return the URL taken apart
     * @throws IllegalArgumentException if the URL is not a single-host PostgreSQL or MariaDB JDBC URL;
     *     the message never repeats credentials
     */
    static JdbcUrl parse(String url) {
        requireNonNull(url, "url");
        Matcher matcher = SHAPE.matcher(url.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database?user=...&password=... or "
                    + "jdbc:mariadb://host:port/database?user=...&password=... (one host, credentials only as"
                    + " parameters), was '" + RedactedUrl.of(url) + "'");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = matcher.group(4);
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    parameters.put(pair, "");
                } else {
                    parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        String database = matcher.group(3) == null ? "" : matcher.group(3);
        return new JdbcUrl(Dialect.fromPrefix(matcher.group(1)), matcher.group(2), database, parameters);
    }

    /** @return the decoded {@code user} parameter, or null when the URL has none */
    String user() {
        return decoded("user");
    }

    /** @return the decoded {@code password} parameter, or null when the URL has none */
    String password() {
        return decoded("password");
    }

    /** @return this URL without its {@code user} and {@code password} parameters */
    JdbcUrl withoutCredentials() {
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        rest.remove("user");
        rest.remove("password");
        return new JdbcUrl(dialect, authority, database, rest);
    }

    /** @return this URL with {@code name} set to {@code value}, replacing any earlier value */
    JdbcUrl withParameter(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(parameters);
        changed.put(name, value);
        return new JdbcUrl(dialect, authority, database, changed);
    }

    /** @return this URL pointing at another database on the same server */
    JdbcUrl withDatabase(String otherDatabase) {
        return new JdbcUrl(dialect, authority, otherDatabase, parameters);
    }

    /** @return the URL as the driver takes it */
    String format() {
        StringBuilder url = new StringBuilder(dialect.urlPrefix()).append(authority).append('/').append(database);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = '&';
        }
        return url.toString();
    }

    private String decoded(String name) {
        String value = parameters.get(name);
        return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
