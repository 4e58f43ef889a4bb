package io.raceguard.event;

import static java.util.Objects.requireNonNull;

/**
 * Which primitive reported an event: the name its user gave it and the backend it runs on. Both are
 * meant to become metric tags, so both are short and chosen from a small set, never derived from a key.
 *
 * @param name the user's name for the primitive ({@code "checkout"}, {@code "login"}), 1 to 64 characters
 *     of letters, digits, {@code .}, {@code _} and {@code -}
 * @param backend the backend ({@code "redis"}, {@code "jdbc"}, {@code "inmemory"}), same rule as the name
 */
public record EventSource(String name, String backend) {

    private static final int MAX_LENGTH = 64;

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is empty, longer than 64 characters or holds a
     *     character other than a letter, a digit, {@code .}, {@code _} or {@code -}
     */
    public EventSource {
        requireTagValue(name, "name");
        requireTagValue(backend, "backend");
    }

    private static void requireTagValue(String value, String parameter) {
        requireNonNull(value, parameter);
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(parameter + " must be 1 to " + MAX_LENGTH + " characters, was "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                throw new IllegalArgumentException(parameter + " may hold only letters, digits, '.', '_' and '-'");
            }
        }
    }
}
