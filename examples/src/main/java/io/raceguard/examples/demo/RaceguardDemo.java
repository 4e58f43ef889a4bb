package io.raceguard.examples.demo;

import io.raceguard.examples.shop.Shop;
import io.raceguard.examples.shop.ShopSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's entry point, {@code java -jar raceguard-demo.jar [serve [--port P]]}.
 *
 * <ul>
 *   <li>Without arguments it starts the shop on a free port, hammers every endpoint of both modes
 *       ({@value DemoRun#REQUESTS} concurrent requests with last-byte synchronisation,
 *       {@value DemoRun#ROUNDS} rounds, a reset before each), prints a table and exits 0 when every
 *       guarded endpoint held in every round, 1 otherwise.
 *   <li>{@code serve [--port P]} keeps the shop running on port P (default {@value #DEFAULT_PORT}) for
 *       curl, Burp or any other tool, until the process is stopped.
 * </ul>
 * Both read {@value ShopSettings#POSTGRES_VARIABLE} and {@value ShopSettings#REDIS_VARIABLE}.
 */
public final class RaceguardDemo {

    /** The port {@code serve} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8080;

    private static final int USAGE = 2;

    private RaceguardDemo() {}

    /**
     * @param args nothing, or {@code serve [--port P]}
     * @throws IOException if the shop's port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /**
     * Runs the demo as {@link #main} does, without leaving the JVM; {@code serve} returns only when
     * the thread is interrupted.
     *
     * @param args nothing, or {@code serve [--port P]}
     * @param environment where to read {@value ShopSettings#POSTGRES_VARIABLE} and
     *     {@value ShopSettings#REDIS_VARIABLE}
     * @param out where the table goes
     * @param err where usage errors go
     * @return the exit status: 0 every guarded endpoint held, 1 one did not, 2 bad arguments
     * @throws IOException if the shop's port cannot be bound
     */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws IOException {
        if (args.isEmpty()) {
            return hammer(ShopSettings.fromEnvironment(environment), out).guardedHeld() ? 0 : 1;
        }
        if (args.get(0).equals("serve") && (args.size() == 1 || args.size() == 3 && args.get(1).equals("--port"))) {
            try {
                int port = args.size() == 1 ? DEFAULT_PORT : Integer.parseInt(args.get(2));
                return serve(ShopSettings.fromEnvironment(environment).withPort(port), out);
            } catch (IllegalArgumentException badPort) {
                err.println("raceguard-demo: " + badPort.getMessage());
                return USAGE;
            }
        }
        err.println("usage: java -jar raceguard-demo.jar");
        err.println("         run every attack against both modes of the shop and print the table");
        err.println("       java -jar raceguard-demo.jar serve [--port P]");
        err.println("         keep the shop running on 127.0.0.1:P (default " + DEFAULT_PORT + ") until stopped");
        return USAGE;
    }

    /** Starts a shop with the settings, runs every attack against it and prints the table. */
    static DemoReport hammer(ShopSettings settings, PrintStream out) throws IOException {
        try (Shop shop = Shop.start(settings)) {
            out.println("Raceguard demo: the same shop twice, /naive (check-then-act) and /guarded (Raceguard).");
            describe(shop, out);
            out.println(DemoRun.REQUESTS + " concurrent requests per round, last byte released together, "
                    + DemoRun.ROUNDS + " rounds per endpoint and mode, POST /reset before each round.");
            out.println();
            ResultTable table = new ResultTable(out);
            table.header();
            DemoReport report = new DemoRun(shop.uri()).run(table::row);
            out.println();
            table.legend();
            out.println();
            out.println(report.guardedHeld()
                    ? "Every guarded endpoint held in every round."
                    : "A GUARDED ENDPOINT DID NOT HOLD: see the rows marked BROKEN.");
            return report;
        }
    }

    private static int serve(ShopSettings settings, PrintStream out) throws IOException {
        Shop shop = Shop.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shop.close();
            stopped.countDown();
        }, "shop-shutdown"));
        URI uri = shop.uri();
        out.println("Raceguard demo shop on " + uri + " (Ctrl-C stops it)");
        describe(shop, out);
        out.println("Try the race:  seq 20 | xargs -P20 -I{} curl -s -X POST -d 'code=SAVE20&user=u{}' "
                + uri + "/naive/coupons/redeem");
        out.println("then:          curl -s " + uri + "/state/naive   (and the same with /guarded)");
        out.println("start over:    curl -s -X POST " + uri + "/reset");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            shop.close();
        }
        return 0;
    }

    private static void describe(Shop shop, PrintStream out) {
        out.println("Shop tables: " + shop.databaseDescription() + ".");
        out.println("Guarded counters, rate limits and idempotency records: " + shop.guardStoresDescription() + ".");
    }
}
