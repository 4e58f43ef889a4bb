package io.raceguard.jdbc;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of a PostgreSQL error report that pgjdbc exposes through
 * {@code PSQLException.getServerErrorMessage()}, by reflection so that pgjdbc stays an optional
 * dependency. Falls back to the English message when the exception is not pgjdbc's.
 */
final class PostgresServerErrors {

    /** The server function that raises 55P03 when {@code lock_timeout} expires; names are never translated. */
    private static final String LOCK_TIMEOUT_ROUTINE = "ProcessInterrupts";

    private static final Pattern CONSTRAINT_IN_MESSAGE = Pattern.compile("unique constraint \"([^\"\\n]+)\"");

    private static final ClassValue<Method> SERVER_ERROR_MESSAGE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return publicNoArgMethod(type, "getServerErrorMessage");
        }
    };

    private PostgresServerErrors() {}

    /** @return whether a 55P03 came from {@code lock_timeout} rather than from {@code NOWAIT} */
    static boolean isLockTimeout(SQLException exception) {
        String routine = serverField(exception, "getRoutine");
        if (routine != null) {
            return routine.equals(LOCK_TIMEOUT_ROUTINE);
        }
        String message = exception.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("lock timeout");
    }

    /** @return the violated constraint of a 23505, or empty when neither the driver nor the message names it */
    static String constraint(SQLException exception) {
        String constraint = serverField(exception, "getConstraint");
        if (constraint != null) {
            return constraint;
        }
        String message = exception.getMessage();
        if (message == null) {
            return "";
        }
        Matcher matcher = CONSTRAINT_IN_MESSAGE.matcher(message);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String serverField(SQLException exception, String getter) {
        Method serverErrorMessage = SERVER_ERROR_MESSAGE.get(exception.getClass());
        if (serverErrorMessage == null) {
            return null;
        }
        try {
            Object report = serverErrorMessage.invoke(exception);
            if (report == null) {
                return null;
            }
            Method field = publicNoArgMethod(report.getClass(), getter);
            return field == null ? null : (String) field.invoke(report);
        } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
            return null;
        }
    }

    private static Method publicNoArgMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return method.getParameterCount() == 0 ? method : null;
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }
}
