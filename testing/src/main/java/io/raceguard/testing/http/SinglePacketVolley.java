package io.raceguard.testing.http;

import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/2 single-packet volley: N requests on N streams of one connection, every final DATA frame
 * withheld and then written in one socket write. Used once, by one thread; see
 * {@link HttpRace#singlePacket()} for the steps.
 */
final class SinglePacketVolley {

    private static final long SETTINGS_PING = 1;
    private static final long WARMING_PING = 2;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final Endpoint endpoint;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final List<StreamRequest> requests;
    private final SocketRegistry sockets = new SocketRegistry();
    private String stage = "connecting";

    SinglePacketVolley(Endpoint endpoint, Duration connectTimeout, Duration readTimeout,
            List<StreamRequest> requests) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.requests = List.copyOf(requests);
    }

    RaceVolley run(String arrivalHeader, TimeUnit arrivalUnit) {
        Http2Connection connection = null;
        Thread reader = null;
        boolean completed = false;
        try {
            Socket socket = endpoint.connect(connectTimeout, sockets, List.of("h2"));
            requireHttp2(socket);
            socket.setSoTimeout(backstopMillis());
            Http2Output out = new Http2Output(socket.getOutputStream());
            connection = new Http2Connection(socket.getInputStream(), out);

            stage = "exchanging SETTINGS";
            // The preface goes first: the reader acknowledges the server's SETTINGS as soon as they arrive.
            out.open(new Http2Settings().pushEnabled(false).initialWindowSize(Http2Connection.RECEIVE_WINDOW),
                    Http2Connection.RECEIVE_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE, SETTINGS_PING);
            reader = new Thread(connection, "raceguard-http2-reader");
            reader.setDaemon(true);
            reader.start();
            await(connection.awaitPingAck(SETTINGS_PING, deadline(connectTimeout)), connection);
            requireRoom(connection);

            stage = "writing the requests";
            connection.expect(requests);
            out.sendAllButFinalFrames(requests);
            out.ping(false, WARMING_PING);
            await(connection.awaitPingAck(WARMING_PING, deadline(readTimeout)), connection);
            throwFirstStreamFailure(connection);

            stage = "releasing the final frames";
            long releaseStart = out.release(requests);
            long releasedAt = System.nanoTime();

            stage = "reading the responses";
            await(connection.awaitResponses(deadline(readTimeout)), connection);
            throwFirstStreamFailure(connection);
            List<RaceResponse> responses = new ArrayList<>(requests.size());
            for (StreamRequest request : requests) {
                responses.add(connection.toResponse(request.streamId(), releasedAt));
            }
            connection.closing();
            sayGoodbye(out);
            completed = true;
            return new RaceVolley(responses, Duration.ofNanos(releasedAt - releaseStart),
                    ArrivalSpread.of(responses, arrivalHeader, arrivalUnit));
        } catch (IOException failure) {
            throw new HttpRaceException(describe() + " failed while " + stage + ": " + failure, failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new HttpRaceException("interrupted while " + stage + " in " + describe(), interrupted);
        } finally {
            if (connection != null) {
                connection.closing();
            }
            sockets.closeAll(!completed);
            join(reader);
        }
    }

    /** Tells the server no more streams follow; best effort, the connection is closed next either way. */
    private void sayGoodbye(Http2Output out) {
        try {
            out.goAway(requests.get(requests.size() - 1).streamId());
        } catch (IOException ignored) {
            // Every response is in: a server that hung up first changes nothing.
        }
    }

    private void requireHttp2(Socket socket) {
        if (socket instanceof SSLSocket) {
            String chosen = ((SSLSocket) socket).getApplicationProtocol();
            if (!"h2".equals(chosen)) {
                throw new HttpRaceException(describe() + ": the server did not agree to HTTP/2 over TLS (ALPN chose "
                        + (chosen == null || chosen.isEmpty() ? "no protocol" : "'" + chosen + "'")
                        + "); race it with last-byte sync instead", null);
            }
        }
    }

    /** Refuses, before any request is sent, a volley the server's limits would not admit at once. */
    private void requireRoom(Http2Connection connection) {
        long streamsAllowed = connection.maxConcurrentStreams();
        if (requests.size() > streamsAllowed) {
            throw new HttpRaceException(describe() + ": the server allows at most " + streamsAllowed
                    + " concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS), fewer than the " + requests.size()
                    + " requests; fire at most " + streamsAllowed + " requests at once", null);
        }
        long largest = requests.stream().mapToLong(StreamRequest::bodyLength).max().orElse(0);
        long total = requests.stream().mapToLong(StreamRequest::bodyLength).sum();
        if (largest > connection.initialStreamWindow() || total > connection.connectionSendWindow()) {
            throw new HttpRaceException(describe() + ": the bodies do not fit the server's flow-control windows"
                    + " (largest body " + largest + " bytes, stream window " + connection.initialStreamWindow()
                    + "; all bodies " + total + " bytes, connection window " + connection.connectionSendWindow()
                    + "), and a withheld frame must not wait for a WINDOW_UPDATE", null);
        }
    }

    private void await(boolean reached, Http2Connection connection) {
        String broken = connection.connectionFailure();
        if (reached) {
            return;
        }
        if (broken != null) {
            throwFirstStreamFailure(connection);
            throw new HttpRaceException(describe() + " failed while " + stage + ": " + broken, null);
        }
        String open = requests.stream()
                .filter(request -> !connection.resolved(request.streamId()))
                .map(request -> Integer.toString(request.streamId()))
                .collect(Collectors.joining(", "));
        throw new HttpRaceException(describe() + " timed out while " + stage + " (connect timeout "
                + connectTimeout.toMillis() + " ms, read timeout " + readTimeout.toMillis() + " ms)"
                + (open.isEmpty() ? "" : "; streams still open: " + open), null);
    }

    /** Throws for the first failed stream by request index, naming the request and its stream. */
    private void throwFirstStreamFailure(Http2Connection connection) {
        String first = null;
        int others = 0;
        for (StreamRequest request : requests) {
            String failure = connection.failure(request.streamId());
            if (failure != null && first == null) {
                first = request.label() + " on stream " + request.streamId() + " failed: " + failure;
            } else if (failure != null) {
                others++;
            }
        }
        if (first != null) {
            String more = others == 0 ? "" : " (and " + others + " more requests failed)";
            throw new HttpRaceException(first + more, null);
        }
    }

    private String describe() {
        return "the single-packet volley of " + requests.size() + " requests at " + endpoint;
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private int backstopMillis() {
        long millis = connectTimeout.plus(readTimeout).multipliedBy(3).toMillis();
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static void join(Thread reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
