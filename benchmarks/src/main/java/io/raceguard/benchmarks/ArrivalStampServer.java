package io.raceguard.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Queue;

/**
 * A minimal HTTP/1.1 server on loopback that stamps each request with {@link System#nanoTime()} the
 * moment it reads the request's final byte, and answers {@code 200} with that stamp in a header.
 *
 * <p>Unlike a JDK {@code HttpServer}, no handler thread is woken per request: one selector thread reads
 * every connection, so a stamp is the time the final byte was read off the socket, not the time a
 * handler got to it. To keep responses from delaying the reads they follow, the thread drains every
 * readable connection (stamping each request it completes) before it writes any response.
 *
 * <p>Speaks only what the benchmark sends: requests with a {@code Content-Length} body or none, keep-alive,
 * several requests per connection. A request it cannot parse closes its connection. Not for any other use.
 */
final class ArrivalStampServer implements AutoCloseable {

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER_BYTES = 16 * 1024;

    private final String arrivalHeader;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread loop;
    private final Queue<Connection> answerable = new ArrayDeque<>();
    private volatile boolean closing;

    /** Starts the server on an ephemeral loopback port. */
    ArrivalStampServer(String arrivalHeader) throws IOException {
        this.arrivalHeader = arrivalHeader;
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::serve, "arrival-stamp-server");
        loop.setDaemon(true);
        loop.start();
    }

    URI uri() throws IOException {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.getLocalAddress()).getPort());
    }

    /** Stops the server and closes every connection it holds. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join(5_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        try {
            while (!closing) {
                selector.select();
                do {
                    handleReady();
                } while (selector.selectNow() > 0);
                answerAll();
            }
        } catch (IOException broken) {
            throw new UncheckedIOException("the arrival stamp server failed", broken);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Shutting down: nothing is left to use it.
        }
    }

    private void handleReady() throws IOException {
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                accept();
            } else if (key.isReadable()) {
                read(key);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel = listener.accept();
        if (channel == null) {
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
    }

    private void read(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            int read = connection.channel.read(connection.input);
            long readAt = System.nanoTime();
            if (read < 0) {
                connection.close();
                return;
            }
            while (connection.completeRequest()) {
                connection.arrivals.add(readAt);
            }
            if (!connection.arrivals.isEmpty()) {
                answerable.add(connection);
            }
        } catch (IOException | RuntimeException broken) {
            connection.close();
        }
    }

    private void answerAll() {
        Connection connection;
        while ((connection = answerable.poll()) != null) {
            Long arrival;
            while ((arrival = connection.arrivals.poll()) != null) {
                byte[] response = ("HTTP/1.1 200 OK\r\n" + arrivalHeader + ": " + arrival
                        + "\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII);
                connection.write(ByteBuffer.wrap(response));
            }
        }
    }

    /** One client connection: the bytes read and not yet parsed, and the stamps of requests not yet answered. */
    private static final class Connection {

        private final SocketChannel channel;
        private final ByteBuffer input = ByteBuffer.allocate(BUFFER_BYTES);
        private final Queue<Long> arrivals = new ArrayDeque<>();

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Removes one whole request from the input, if it holds one. */
        boolean completeRequest() {
            int headEnd = indexOf(HEAD_END);
            if (headEnd < 0) {
                if (!input.hasRemaining()) {
                    throw new IllegalStateException("request head larger than " + BUFFER_BYTES + " bytes");
                }
                return false;
            }
            int length = headEnd + HEAD_END.length + contentLength(headEnd);
            if (input.position() < length) {
                return false;
            }
            input.flip().position(length);
            input.compact();
            return true;
        }

        private int contentLength(int headEnd) {
            String head = new String(input.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("transfer-encoding")) {
                    throw new IllegalStateException("chunked request bodies are not supported");
                }
                if (name.equals("content-length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            return 0;
        }

        private int indexOf(byte[] pattern) {
            byte[] bytes = input.array();
            for (int start = 0; start + pattern.length <= input.position(); start++) {
                int matched = 0;
                while (matched < pattern.length && bytes[start + matched] == pattern[matched]) {
                    matched++;
                }
                if (matched == pattern.length) {
                    return start;
                }
            }
            return -1;
        }

        /** Writes the whole response; a loopback socket buffer takes these few bytes at once. */
        void write(ByteBuffer response) {
            try {
                while (response.hasRemaining()) {
                    if (channel.write(response) == 0) {
                        Thread.onSpinWait();
                    }
                }
            } catch (IOException broken) {
                close();
            }
        }

        void close() {
            closeQuietly(channel);
        }
    }
}
