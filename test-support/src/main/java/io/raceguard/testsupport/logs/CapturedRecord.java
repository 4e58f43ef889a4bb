package io.raceguard.testsupport.logs;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.event.Level;

/**
 * One log call as the provider received it.
 *
 * @param level its level
 * @param logger the logger's name
 * @param message the message with its arguments filled in
 * @param throwable the throwable logged with it, or {@code null}
 */
public record CapturedRecord(Level level, String logger, String message, Throwable throwable) {

    /**
     * @return the message and, for the throwable, its causes and suppressed throwables, everything
     *     a log line and its stack trace would show
     */
    public String fullText() {
        StringBuilder text = new StringBuilder(message);
        appendThrowable(throwable, text, Collections.newSetFromMap(new IdentityHashMap<>()));
        return text.toString();
    }

    private static void appendThrowable(Throwable throwable, StringBuilder text, Set<Throwable> seen) {
        if (throwable == null || !seen.add(throwable)) {
            return;
        }
        text.append('\n').append(throwable);
        appendThrowable(throwable.getCause(), text, seen);
        for (Throwable suppressed : throwable.getSuppressed()) {
            appendThrowable(suppressed, text, seen);
        }
    }

    @Override
    public String toString() {
        return level + " " + logger + " - " + fullText();
    }
}
