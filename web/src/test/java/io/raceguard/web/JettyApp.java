package io.raceguard.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A plain Jetty 12 {@link ServletContextHandler} on a loopback port: filters in front of servlets. */
final class JettyApp implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private JettyApp(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** @return a builder of the app's filters (in order, on every path) and servlets (by path) */
    static Routes routes() {
        return new Routes();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** The filters and servlets of an app, then {@link #start()}. */
    static final class Routes {
        private final Map<String, Filter> filters = new LinkedHashMap<>();
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();

        Routes filter(Filter filter) {
            filters.put("filter-" + filters.size(), filter);
            return this;
        }

        Routes servlet(String path, HttpServlet servlet) {
            servlets.put(path, servlet);
            return this;
        }

        JettyApp start() throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            filters.forEach((name, filter) -> context.addFilter(new FilterHolder(filter), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            servlets.forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
            server.setHandler(context);
            server.start();
            return new JettyApp(server, connector);
        }
    }
}
