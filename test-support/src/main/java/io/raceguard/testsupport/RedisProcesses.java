package io.raceguard.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Throwaway {@code redis-server} processes on free loopback ports, for tests that need more than
 * the one shared Redis: several independent masters (Redlock), or a real Redis Cluster. Faults
 * stay on these processes: a node can be {@link #kill killed} and {@link #restart restarted}, or
 * {@link #pause paused}, without touching any server other tests share.
 *
 * <pre>{@code
 * @BeforeAll static void start() { cluster = RedisProcesses.cluster(3); }
 * @AfterAll static void stop() { cluster.close(); }
 * }</pre>
 *
 * <p>Each process runs without persistence in its own temporary directory, which {@link #close()}
 * deletes after killing the process; a JVM shutdown hook kills whatever a test forgot to close.
 * Every wait is bounded. When {@code redis-server} (or, for a Cluster, {@code redis-cli}) is not on
 * the {@code PATH}, the factories skip the calling test with a JUnit assumption, unless
 * {@code RACEGUARD_REQUIRE_SERVICES=true}, in which case they fail.
 *
 * <p>Not thread-safe: start, stop and close from the test thread.
 */
public final class RedisProcesses implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    private static final JedisClientConfig PROBE = DefaultJedisClientConfig.builder()
            .autoNegotiateProtocol(false).connectionTimeoutMillis(500).socketTimeoutMillis(2_000).build();

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "raceguard-redis-processes-exit");

    private RedisProcesses(Path root) {
        this.root = root;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code count} independent Redis masters.
     *
     * @param count how many, at least 1
     * @return the running processes
     * @throws IllegalStateException if a process did not start in time
     */
    public static RedisProcesses masters(int count) {
        requireCount(count);
        Path redisServer = require("redis-server");
        RedisProcesses processes = create();
        try {
            for (int i = 0; i < count; i++) {
                processes.nodes.add(processes.startNode(redisServer, i, false));
            }
            return processes;
        } catch (RuntimeException e) {
            processes.close();
            throw e;
        }
    }

    /**
     * Starts a Redis Cluster of {@code masters} masters without replicas, its slots spread evenly
     * by {@code redis-cli --cluster create}, and waits until every node reports the cluster healthy.
     *
     * @param masters how many masters, at least 3 (what {@code redis-cli} accepts)
     * @return the running cluster
     * @throws IllegalStateException if it did not come up in time
     */
    public static RedisProcesses cluster(int masters) {
        if (masters < 3) {
            throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters, was " + masters);
        }
        Path redisServer = require("redis-server");
        Path redisCli = require("redis-cli");
        RedisProcesses processes = create();
        try {
            for (int i = 0; i < masters; i++) {
                processes.nodes.add(processes.startNode(redisServer, i, true));
            }
            processes.createCluster(redisCli);
            return processes;
        } catch (RuntimeException e) {
            processes.close();
            throw e;
        }
    }

    /** @return the address of every node, in start order */
    public List<HostAndPort> addresses() {
        return nodes.stream().map(Node::address).toList();
    }

    /**
     * @param index the node's position in start order
     * @return its address
     */
    public HostAndPort address(int index) {
        return nodes.get(index).address();
    }

    /**
     * Kills one node at once, as a crash would (SIGKILL), and waits for it to be gone. Its
     * directory stays until {@link #close()}; {@link #restart} starts it again on the same port.
     *
     * @param index the node's position in start order
     */
    public void kill(int index) {
        Node node = nodes.get(index);
        node.process().destroyForcibly();
        waitFor(node.process());
    }

    /**
     * Makes one node unresponsive for {@code duration} without closing a connection
     * ({@code CLIENT PAUSE <ms> ALL}), as a stalled server or a congested link would: every command
     * any client sends meanwhile, {@code CLIENT UNPAUSE} included, waits on the server until the
     * pause ends or the client's read timeout passes, and the node expires no key until then (keys
     * whose ttl passed meanwhile are gone at once afterwards). Returns as soon as the pause has begun;
     * the pause ends by itself.
     *
     * @param index the node's position in start order
     * @param duration how long, at least 1 ms
     * @throws IllegalArgumentException if {@code duration} is under 1 ms
     * @throws JedisException if the node could not be reached
     */
    public void pause(int index, Duration duration) {
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException("duration must be at least 1 ms, was " + duration);
        }
        try (Jedis jedis = new Jedis(nodes.get(index).address(), PROBE)) {
            jedis.clientPause(duration.toMillis(), ClientPauseMode.ALL);
        }
    }

    /**
     * Starts a node that was {@link #kill killed} again, on the same port and in the same directory,
     * and waits until it answers. Without persistence it comes back empty, as a master restarted
     * without AOF would.
     *
     * @param index the node's position in start order
     * @throws IllegalStateException if the node is still running, or did not answer in time (for
     *     example because another process took its port meanwhile)
     */
    public void restart(int index) {
        Node stopped = nodes.get(index);
        if (stopped.process().isAlive()) {
            throw new IllegalStateException("node " + index + " is still running; kill it first");
        }
        Node restarted = new Node(stopped.address(), launch(stopped.command(), stopped.dir()), stopped.command(),
                stopped.dir());
        nodes.set(index, restarted);
        if (!awaitPing(restarted)) {
            restarted.process().destroyForcibly();
            waitFor(restarted.process());
            throw new IllegalStateException("redis-server did not answer again on " + stopped.address() + " within "
                    + START_TIMEOUT + "; its log: " + readLog(stopped.dir()));
        }
    }

    /** Kills every process, waits for each to end, and deletes their directories. Idempotent. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run already.
        }
        deleteRecursively(root);
    }

    private void killAll() {
        for (Node node : nodes) {
            node.process().destroyForcibly();
        }
        for (Node node : nodes) {
            waitFor(node.process());
        }
    }

    private static RedisProcesses create() {
        try {
            return new RedisProcesses(Files.createTempDirectory("raceguard-redis-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Node startNode(Path redisServer, int index, boolean clusterEnabled) {
        IllegalStateException lastFailure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            Path dir = root.resolve("node-" + index + "-" + attempt);
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(redisServer.toString(),
                    "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(),
                    "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"));
            if (clusterEnabled) {
                command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-port", Integer.toString(freePort()), "--cluster-node-timeout", "2000"));
            }
            Process process = launch(command, dir);
            Node node = new Node(new HostAndPort(HOST, port), process, command, dir);
            if (awaitPing(node)) {
                return node;
            }
            process.destroyForcibly();
            waitFor(process);
            lastFailure = new IllegalStateException("redis-server on port " + port + " did not answer within "
                    + START_TIMEOUT + "; its log: " + readLog(dir));
        }
        throw lastFailure;
    }

    private void createCluster(Path redisCli) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
        for (Node node : nodes) {
            command.add(node.address().toString());
        }
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path dir = root.resolve("cluster-create");
        Process create = launch(command, dir);
        try {
            if (!create.waitFor(CLUSTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within " + CLUSTER_TIMEOUT);
            }
        } catch (InterruptedException e) {
            create.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
        if (create.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + readLog(dir));
        }
        long deadline = System.nanoTime() + CLUSTER_TIMEOUT.toNanos();
        while (!nodes.stream().allMatch(RedisProcesses::clusterHealthy)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not report cluster_state:ok within "
                        + CLUSTER_TIMEOUT);
            }
            pause();
        }
    }

    private static boolean clusterHealthy(Node node) {
        try (Jedis jedis = new Jedis(node.address(), PROBE)) {
            String info = jedis.clusterInfo();
            return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
        } catch (JedisException e) {
            return false;
        }
    }

    private static boolean awaitPing(Node node) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && node.process().isAlive()) {
            try (Jedis jedis = new Jedis(node.address(), PROBE)) {
                if ("PONG".equals(jedis.ping())) {
                    return true;
                }
            } catch (JedisException notYet) {
                pause();
            }
        }
        return false;
    }

    private static Process launch(List<String> command, Path dir) {
        try {
            Files.createDirectories(dir);
            return new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        }
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("process " + process.pid() + " did not end within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private static void requireCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
    }

    private static Path require(String executable) {
        Optional<Path> found = onPath(executable);
        if (found.isPresent()) {
            return found.get();
        }
        String message = executable
                + " is not on the PATH; install Redis (apt-get install redis-server) to run this test";
        if (Boolean.parseBoolean(System.getenv("RACEGUARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(message + " (required: RACEGUARD_REQUIRE_SERVICES=true)");
        }
        return Assumptions.abort(message);
    }

    private static Optional<Path> onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private record Node(HostAndPort address, Process process, List<String> command, Path dir) {}
}
