package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** Checks and trims the words users give for reports. */
final class Words {

    private static final int MAX_VALUE_CHARS = 40;
    private static final int MAX_MESSAGE_CHARS = 100;

    /**
     * A package-qualified exception name, as wrappers quote their cause's {@code toString()}:
     * {@code java.sql.SQLTransactionRollbackException}; group 1 is its simple name.
     */
    private static final Pattern QUALIFIED_EXCEPTION =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*(?:Exception|Error|Throwable))\\b");

    private Words() {}

    /**
     * @param words the user's words
     * @param name the parameter name, for the exception
     * @return {@code words}
     * @throws NullPointerException if {@code words} is null
     * @throws IllegalArgumentException if {@code words} is blank
     */
    static String requireWords(String words, String name) {
        requireNonNull(words, name);
        if (words.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return words;
    }

    /**
     * @param value any value, possibly null
     * @return its text on one line, cut to {@value #MAX_VALUE_CHARS} characters
     */
    static String shortText(Object value) {
        return cut(oneLine(String.valueOf(value)), MAX_VALUE_CHARS);
    }

    /**
     * @param text any text
     * @return the text with every line break and the whitespace around it turned into one space
     */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * Names what a call threw so that the cause still shows when a wrapper quotes it: the simple name
     * of the exception, then the start of the first line of its message, exception names in it cut to
     * their simple names ({@code UnableToExecuteStatementException: SQLTransactionRollbackException:
     * Deadlock found when trying to get lock; ...}), at most {@value #MAX_MESSAGE_CHARS} characters of it.
     *
     * @param failure what a call threw
     * @return {@code IllegalStateException: start of the message}
     */
    static String describe(Throwable failure) {
        String type = failure.getClass().getSimpleName().isEmpty()
                ? failure.getClass().getName()
                : failure.getClass().getSimpleName();
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return type;
        }
        String firstLine = message.strip().lines().findFirst().orElse("");
        return type + ": " + cut(QUALIFIED_EXCEPTION.matcher(firstLine).replaceAll("$1"), MAX_MESSAGE_CHARS);
    }

    private static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars - 3) + "...";
    }
}
