package io.raceguard.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Records what a real connection is asked to send: the text of every statement prepared or executed,
 * and the calls that cost a round trip on some driver (isolation read and write, read-only, commit,
 * rollback). The connection itself is the real one; nothing is answered in its place.
 */
final class StatementLog {

    private static final Set<String> RECORDED_CALLS = Set.of(
            "getTransactionIsolation", "setTransactionIsolation", "setReadOnly", "commit", "rollback");
    private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "prepareCall");

    private final List<String> entries = new CopyOnWriteArrayList<>();

    /** @return what was recorded so far, in order */
    List<String> entries() {
        return List.copyOf(entries);
    }

    /**
     * Lends one already open connection, as a pool of one would: closing what it lends leaves the
     * connection open, so its session state can be inspected afterwards.
     */
    DataSource poolOfOne(Connection connection) {
        Connection lent = recordKeepingOpen(connection);
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection")) {
                        return lent;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Connection recordKeepingOpen(Connection connection) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            String name = method.getName();
            if (name.equals("close") && method.getParameterCount() == 0) {
                return null;
            }
            if (STATEMENT_METHODS.contains(name)) {
                entries.add((String) arguments[0]);
            } else if (name.equals("createStatement")) {
                entries.add("createStatement");
            } else if (RECORDED_CALLS.contains(name)) {
                entries.add(name);
            }
            return invoke(method, connection, arguments);
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private static Object invoke(Method method, Object target, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
