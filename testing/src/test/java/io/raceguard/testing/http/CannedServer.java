package io.raceguard.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A raw socket server that answers every request with the same bytes, for responses the JDK server
 * cannot produce (trailers, close-delimited bodies, broken framing) or none at all. It records each
 * request exactly as it arrived and notices when the client closes the connection.
 */
final class CannedServer implements AutoCloseable {

    private final ServerSocket listener;
    private final byte[] response;
    private final boolean closeAfterResponse;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closedByClient;

    private CannedServer(String response, boolean closeAfterResponse, int expectedConnections) {
        try {
            this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        this.response = response == null ? null : response.getBytes(StandardCharsets.ISO_8859_1);
        this.closeAfterResponse = closeAfterResponse;
        this.closedByClient = new CountDownLatch(expectedConnections);
        connections.execute(this::accept);
    }

    /** Answers with {@code response} and keeps the connection open until the client closes it. */
    static CannedServer answering(String response) {
        return new CannedServer(response, false, 1);
    }

    /** Answers with {@code response} and then closes the connection, ending a close-delimited body. */
    static CannedServer answeringThenClosing(String response) {
        return new CannedServer(response, true, 1);
    }

    /** Reads every request and never answers, waiting for {@code connections} clients to give up. */
    static CannedServer silent(int connections) {
        return new CannedServer(null, false, connections);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    List<String> requests() {
        return requests;
    }

    /** @return whether the expected clients all closed their connections within the timeout */
    boolean awaitClientsClosed(long seconds) throws InterruptedException {
        return closedByClient.await(seconds, TimeUnit.SECONDS);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                connections.execute(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            requests.add(readRequest(in));
            if (response != null) {
                connection.getOutputStream().write(response);
                connection.getOutputStream().flush();
            }
            if (closeAfterResponse) {
                return;
            }
            while (in.read() != -1) {
                // Drain until the client closes.
            }
            closedByClient.countDown();
        } catch (IOException reset) {
            closedByClient.countDown();
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                throw new IOException("closed before the end of the request head");
            }
            request.write(next);
        }
        String head = request.toString(StandardCharsets.ISO_8859_1);
        int bodyLength = head.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
                .findFirst()
                .orElse(0);
        request.write(in.readNBytes(bodyLength));
        return request.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        connections.shutdownNow();
        connections.awaitTermination(10, TimeUnit.SECONDS);
    }
}
