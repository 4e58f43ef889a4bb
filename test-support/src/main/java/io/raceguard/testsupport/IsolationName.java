package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Unique, safe names for the schemas, databases and key prefixes that keep one test class's data
 * away from every other test class sharing the same server.
 *
 * <p>A name is {@code rg_}, the test class's simple name folded to {@code [a-z0-9_]}, and a random
 * suffix of eight hex digits. Lower case, because PostgreSQL folds unquoted identifiers and MariaDB
 * database names are case-sensitive on Linux. Stateless and thread-safe.
 */
final class IsolationName {

    /** PostgreSQL truncates identifiers at 63 bytes; MariaDB allows 64. */
    static final int MAX_IDENTIFIER_LENGTH = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String PREFIX = "rg_";
    private static final int SUFFIX_LENGTH = 9; // '_' and eight hex digits

    private IsolationName() {}

    /**
     * @param testClass the class the name is for
     * @return a fresh identifier, different on every call, matching {@code [a-z_][a-z0-9_]*}
     */
    static String forClass(Class<?> testClass) {
        requireNonNull(testClass, "testClass");
        String stem = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (stem.isEmpty()) {
            stem = "anonymous";
        }
        int room = MAX_IDENTIFIER_LENGTH - PREFIX.length() - SUFFIX_LENGTH;
        if (stem.length() > room) {
            stem = stem.substring(0, room);
        }
        String suffix = String.format("%08x", ThreadLocalRandom.current().nextInt());
        return requireIdentifier(PREFIX + stem + "_" + suffix, "generated name");
    }

    /**
     * @param name the identifier to check before it is spliced into SQL
     * @param what what the identifier names, for the exception message
     * @return {@code name}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} does not match {@code [A-Za-z_][A-Za-z0-9_]*}
     *     or is longer than {@value #MAX_IDENTIFIER_LENGTH} characters
     */
    static String requireIdentifier(String name, String what) {
        requireNonNull(name, what);
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match [A-Za-z_][A-Za-z0-9_]*, was '" + name + "'");
        }
        if (name.length() > MAX_IDENTIFIER_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be at most " + MAX_IDENTIFIER_LENGTH + " characters, was " + name.length());
        }
        return name;
    }
}
