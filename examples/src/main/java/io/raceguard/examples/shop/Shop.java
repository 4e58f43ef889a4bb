package io.raceguard.examples.shop;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo shop: every endpoint twice, {@code /naive/...} (the textbook check-then-act) and
 * {@code /guarded/...} (Raceguard), on embedded Jetty, bound to loopback. The one port speaks HTTP/1.1
 * and, to clients that start with the HTTP/2 preface, cleartext HTTP/2 ({@code h2c} with prior knowledge).
 *
 * <pre>{@code
 * try (Shop shop = Shop.start(ShopSettings.embedded())) {
 *     URI base = shop.uri();   // POST base + "/naive/coupons/redeem" with code=SAVE20&user=u1
 * }
 * }</pre>
 *
 * <p>The contract: requests are form-encoded POSTs, responses JSON.
 * <ul>
 *   <li>{@code POST /{mode}/coupons/redeem code=SAVE20&user=U}: 200 redeemed, 409 used up
 *   <li>{@code POST /{mode}/transfer from=1&to=2&amount=100}: 200, or 400 insufficient funds
 *   <li>{@code POST /{mode}/signup email=E}: 201, or 409 taken (case-insensitive)
 *   <li>{@code POST /{mode}/orders item=99}: 201, or 409 sold out
 *   <li>{@code POST /{mode}/login user=alice&password=P}: 401 wrong password, 429 after 5 attempts a minute
 *   <li>{@code POST /{mode}/charge amount=100} with {@code Idempotency-Key}: 201 charged; naive: 200 and
 *       the receipt for a key seen before; guarded ({@code IdempotencyFilter}): the first answer again, byte
 *       for byte, marked {@code Idempotent-Replayed: true}, 409 in flight, 422 same key with another body,
 *       400 key missing or malformed
 *   <li>{@code POST /{mode}/fulfilment order=7&action=cancel|ship}: 200 cancelled (refunded) or shipped, 409
 *       when the order was already cancelled or shipped: never both
 *   <li>{@code POST /reset}: both modes back to the start (coupon SAVE20 usable once; account 1 holds
 *       200, account 2 holds 0; item 99 stock 1; no users, login attempts or charges)
 *   <li>{@code GET /state/{mode}}: {@code {"coupon_redemptions":n,"balances":{"1":n,"2":n},"users":n,
 *       "orders":n,"stock":n,"login_attempts_allowed":n,"charges":n,"order_settlements":n}}
 * </ul>
 * Every response to a request whose body was read carries {@value #ARRIVAL_HEADER}, the server's {@link
 * System#nanoTime()} once it had read the whole request, for {@code HttpRace.arrivalHeader}.
 *
 * <p>Thread-safe. {@link #close()} stops the server and removes what the shop stored.
 */
public final class Shop implements AutoCloseable {

    /** The response header in which the shop echoes when each request arrived. */
    public static final String ARRIVAL_HEADER = "X-Arrival-Nanos";

    /** Jetty's acceptor and selector take some of these; the rest serve requests. */
    private static final int SERVER_THREADS = 72;

    private final Server server;
    private final ServerConnector connector;
    private final ShopDatabase database;
    private final GuardStores stores;
    private final String connectionName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Shop(Server server, ServerConnector connector, ShopDatabase database, GuardStores stores,
            String connectionName) {
        this.server = server;
        this.connector = connector;
        this.database = database;
        this.stores = stores;
        this.connectionName = connectionName;
    }

    /**
     * Creates the shop's tables, resets them and starts serving.
     *
     * @param settings the port, slow-call latency and backends
     * @return the running shop
     * @throws IOException if the port cannot be bound or the server cannot start
     * @throws org.jdbi.v3.core.JdbiException if the database cannot be reached or refuses the schema
     * @throws io.raceguard.BackendException if Redis cannot be reached
     */
    public static Shop start(ShopSettings settings) throws IOException {
        requireNonNull(settings, "settings");
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String runId = HexFormat.of().formatHex(random);
        String connectionName = "raceguard-demo-" + runId;
        ShopDatabase database = settings.postgresUrl()
                .map(url -> ShopDatabase.postgres(url, runId, connectionName))
                .orElseGet(() -> ShopDatabase.h2(runId));
        GuardStores stores = null;
        Server server = null;
        try {
            ShopSchema.create(database.jdbi());
            stores = settings.redisUri().isPresent()
                    ? GuardStores.onRedis(settings.redisUri().get(), runId, connectionName)
                    : GuardStores.inDatabase(database.jdbi(), database.name());
            ResetGeneration generation = new ResetGeneration();
            ShopReset reset = new ShopReset(database.jdbi(), stores.counters(), generation);
            reset.run();
            List<Endpoint> endpoints = endpoints(settings, database, stores, generation);
            server = new Server(serverThreads());
            ServerConnector connector = connector(server, settings.port());
            server.addConnector(connector);
            ShopState state = new ShopState(database.jdbi(), stores.counters());
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addFilter(new FilterHolder(new ArrivalStamp()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(new FilterHolder(Charges.idempotencyFilter(stores, generation)), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new ShopServlet(endpoints, reset, state)), "/");
            server.setHandler(context);
            server.start();
            return new Shop(server, connector, database, stores, connectionName);
        } catch (Exception failed) {
            RuntimeException cleanup = closeAll(stop(server), stores, database);
            if (cleanup != null) {
                failed.addSuppressed(cleanup);
            }
            if (failed instanceof IOException io) {
                throw io;
            }
            if (failed instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new IOException("the shop's server did not start", failed);
        }
    }

    /** One loopback port for HTTP/1.1 and h2c: a connection that opens with the HTTP/2 preface speaks h2c. */
    private static ServerConnector connector(Server server, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(port);
        return connector;
    }

    private static QueuedThreadPool serverThreads() {
        QueuedThreadPool threads = new QueuedThreadPool(SERVER_THREADS);
        threads.setName("shop-handler");
        threads.setDaemon(true);
        return threads;
    }

    private static List<Endpoint> endpoints(ShopSettings settings, ShopDatabase database, GuardStores stores,
            ResetGeneration generation) {
        return List.of(
                new CouponRedemptions(database.jdbi(), new SimulatedCall("fraud check", settings.slowCall())),
                new Transfers(database.jdbi(), new SimulatedCall("fraud check", settings.slowCall())),
                new Signups(database.jdbi(), new SimulatedCall("mailbox check", settings.slowCall())),
                new Orders(database.jdbi(), stores.counters(), new SimulatedCall("payment", settings.slowCall())),
                new Logins(database.jdbi(), stores, generation,
                        new SimulatedCall("password hash", settings.slowCall()), Clock.systemUTC()),
                new Charges(database.jdbi(), new SimulatedCall("payment", settings.slowCall())),
                new Fulfilments(database.jdbi(), new SimulatedCall("refund or carrier booking", settings.slowCall())));
    }

    /** @return {@code http://127.0.0.1:<port>}, the shop's base URI */
    public URI uri() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    /** @return where the shop's tables are, e.g. {@code H2, in this process}; never credentials */
    public String databaseDescription() {
        return database.description();
    }

    /** @return where the guarded endpoints keep Raceguard's counters, rate limits and idempotency records */
    public String guardStoresDescription() {
        return stores.description();
    }

    /**
     * @return the name of every connection the shop opens to a server, e.g. {@code raceguard-demo-1a2b3c4d}:
     *     the {@code application_name} of its PostgreSQL connections and the {@code CLIENT SETNAME} of its
     *     Redis connections
     */
    public String connectionName() {
        return connectionName;
    }

    /** @return the PostgreSQL schema of the shop's tables, dropped on {@link #close()}; empty on H2 */
    public Optional<String> postgresSchema() {
        return database.schema();
    }

    /**
     * @return the prefix of every Redis key the guarded endpoints write, e.g.
     *     {@code raceguard-demo:1a2b3c4d:}; empty when their state is in the database
     */
    public Optional<String> redisKeyPrefix() {
        return stores.redisKeyPrefix();
    }

    /**
     * @return the database handles open and the Redis connections borrowed right now: each request
     *     returns what it took, so between requests this is 0 unless a connection leaked
     */
    public int connectionsInUse() {
        return database.openHandles() + stores.redisConnectionsInUse();
    }

    /**
     * Stops serving and its threads, closes every connection, then removes the shop's data: the H2
     * database, or its PostgreSQL schema and its Redis stock counter. Its other Redis keys, the rate
     * limiter's and the idempotency records, carry a ttl of at most ten minutes and expire on their own.
     * Calls after the first do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // A counter never expires, on Redis neither: remove the one the shop made.
        RuntimeException failure = closeAll(stop(server),
                () -> stores.counters().delete(Orders.stockKey(ShopReset.ITEM)), stores, database);
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes every resource, even after one failed; returns the first failure with the others suppressed. */
    private static RuntimeException closeAll(Cleanup... resources) {
        RuntimeException failure = null;
        for (Cleanup resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (RuntimeException closing) {
                if (failure == null) {
                    failure = closing;
                } else {
                    failure.addSuppressed(closing);
                }
            }
        }
        return failure;
    }

    /** @return stopping the server and its threads, as a cleanup step; nothing to do if it never started */
    private static Cleanup stop(Server server) {
        return () -> {
            if (server == null) {
                return;
            }
            try {
                server.stop();
            } catch (Exception stopping) {
                throw new IllegalStateException("the shop's server did not stop cleanly", stopping);
            }
        };
    }
}
