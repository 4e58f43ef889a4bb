package io.raceguard.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on loopback between the test's JDBC connections and a database server, which can lose
 * one answer on purpose: once {@linkplain #severAfterNextAnswer() armed}, the next bytes the server
 * sends are dropped and the client's connection is closed. The request has then reached the server
 * and been carried out (it answered), but the client never learns the result: the one failure a
 * client cannot tell from a request that never arrived. Not a mock: the server is real, only the
 * wire is cut.
 */
final class SeveringProxy implements AutoCloseable {

    private static final Pattern AUTHORITY = Pattern.compile("//([^/:?]+):(\\d+)");
    private static final int BUFFER_BYTES = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private SeveringProxy(InetSocketAddress server) throws IOException {
        this.server = server;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("severing-proxy-accept", this::accept).start();
    }

    /**
     * @param jdbcUrl a URL naming the server's host and port
     * @return a proxy to that server
     */
    static SeveringProxy to(String jdbcUrl) throws IOException {
        Matcher authority = AUTHORITY.matcher(jdbcUrl);
        if (!authority.find()) {
            throw new IllegalArgumentException("the URL names no host:port: " + jdbcUrl);
        }
        return new SeveringProxy(new InetSocketAddress(authority.group(1), Integer.parseInt(authority.group(2))));
    }

    /** @return {@code jdbcUrl} pointed at this proxy instead of the server */
    String redirect(String jdbcUrl) {
        return AUTHORITY.matcher(jdbcUrl).replaceFirst("//127.0.0.1:" + listener.getLocalPort());
    }

    /** Drops the server's next answer, on whichever connection it comes, and closes that connection. */
    void severAfterNextAnswer() {
        armed.set(true);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = track(listener.accept());
                Socket upstream = track(new Socket(server.getAddress(), server.getPort()));
                daemon("severing-proxy-up", () -> pump(client, upstream, false)).start();
                daemon("severing-proxy-down", () -> pump(upstream, client, true)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (answers && armed.compareAndSet(true, false)) {
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ended) {
            // One side closed: closing both (try-with-resources) ends the other pump too.
        }
    }

    private Socket track(Socket socket) {
        sockets.add(socket);
        return socket;
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
