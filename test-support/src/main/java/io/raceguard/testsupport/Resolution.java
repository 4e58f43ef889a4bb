package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What looking for one server came to. Computed once per JVM; {@link #service()} is then called by
 * every test that needs the server and throws a fresh exception each time when there is none.
 */
sealed interface Resolution<T> {

    /**
     * @return the server
     * @throws org.opentest4j.TestAbortedException if there is none and services are optional (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError if there is none and services are required
     * @throws IllegalStateException if the server was configured or found but could not be used
     */
    T service();

    /** @return one line for the log saying where the server came from, or why there is none */
    String describe();

    /** A server was found. */
    record Found<T>(T server, String source) implements Resolution<T> {
        public Found {
            requireNonNull(server, "server");
            requireNonNull(source, "source");
        }

        @Override
        public T service() {
            return server;
        }

        @Override
        public String describe() {
            return "found at " + source;
        }
    }

    /** Nothing answered anywhere. */
    record Missing<T>(String message, boolean required) implements Resolution<T> {
        public Missing {
            requireNonNull(message, "message");
        }

        @Override
        public T service() {
            return required ? Assertions.fail(message) : Assumptions.abort(message);
        }

        @Override
        public String describe() {
            return message;
        }
    }

    /** Something was configured or found but could not be used: a fault, never a skip. */
    record Broken<T>(String message, RuntimeException cause) implements Resolution<T> {
        public Broken {
            requireNonNull(message, "message");
            requireNonNull(cause, "cause");
        }

        @Override
        public T service() {
            throw new IllegalStateException(message, cause);
        }

        @Override
        public String describe() {
            return message + ": " + cause;
        }
    }
}
