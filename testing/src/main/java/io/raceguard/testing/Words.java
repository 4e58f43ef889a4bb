package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

/** Checks and trims the words users give for reports. */
final class Words {

    private static final int MAX_VALUE_CHARS = 40;

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
        String text = oneLine(String.valueOf(value));
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }

    /**
     * @param text any text
     * @return the text with every line break and the whitespace around it turned into one space
     */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * @param failure what a call threw
     * @return {@code IllegalStateException: first line of the message}
     */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + shortText(message.lines().findFirst().orElse(""));
    }
}
