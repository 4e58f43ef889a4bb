package io.raceguard.testing.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The receiving half of one HTTP/2 connection and what it has learned: the server's settings, the send
 * windows, PING acknowledgements, a GOAWAY, and each stream's response. One reader thread ({@link #run})
 * decodes the frames with Netty's {@link DefaultHttp2FrameReader} (HPACK included), acknowledges the
 * server's SETTINGS and PINGs through the {@link Http2Output}, tops up the connection's receive window,
 * and wakes the waiters.
 *
 * <p>Failure model: a RST_STREAM fails its stream; a GOAWAY fails every stream above the last one the
 * server says it processed; a broken or closed connection or a framing error fails every stream still
 * open. Each failure is kept as a sentence naming the stream, for the volley to report.
 *
 * <p>Thread-safe: all state is guarded by this object's monitor.
 */
final class Http2Connection implements Runnable {

    /** Our receive window, connection and streams: the largest HTTP/2 allows, so servers rarely wait on us. */
    static final int RECEIVE_WINDOW = Http2CodecUtil.MAX_INITIAL_WINDOW_SIZE;

    private static final int READ_CHUNK = 16 * 1024;
    private static final long MAX_HEADER_LIST_BYTES = 64 * 1024;

    private final InputStream in;
    private final Http2Output out;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final DefaultHttp2FrameReader reader =
            new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true, MAX_HEADER_LIST_BYTES));
    private final Map<Integer, StreamResponse> streams = new HashMap<>();

    private boolean settingsReceived;
    private long maxConcurrentStreams = Long.MAX_VALUE;
    private long initialStreamWindow = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    private long connectionSendWindow = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    private long unacknowledgedReceived;
    private long lastPingAck = Long.MIN_VALUE;
    private String goAway;
    private int goAwayLastStream = Integer.MAX_VALUE;
    private String connectionFailure;
    private boolean closing;

    Http2Connection(InputStream in, Http2Output out) {
        this.in = in;
        this.out = out;
    }

    /** Registers the streams about to be opened, failing at once those a GOAWAY already excluded. */
    synchronized void expect(List<StreamRequest> requests) {
        for (StreamRequest request : requests) {
            StreamResponse response = new StreamResponse();
            if (goAway != null && request.streamId() > goAwayLastStream) {
                response.fail("the server refused it with " + goAway);
            }
            streams.put(request.streamId(), response);
        }
    }

    /** @return whether the server's SETTINGS and the acknowledgement of PING {@code data} arrived in time */
    synchronized boolean awaitPingAck(long data, long deadlineNanos) throws InterruptedException {
        return await(() -> settingsReceived && lastPingAck == data, deadlineNanos);
    }

    /** @return whether every expected stream completed or failed in time */
    synchronized boolean awaitResponses(long deadlineNanos) throws InterruptedException {
        return await(() -> streams.values().stream().allMatch(StreamResponse::resolved), deadlineNanos);
    }

    private boolean await(Condition condition, long deadlineNanos) throws InterruptedException {
        while (!condition.holds() && connectionFailure == null) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return condition.holds();
    }

    /** @return why the connection failed, or {@code null} while it works */
    synchronized String connectionFailure() {
        return connectionFailure;
    }

    synchronized long maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    synchronized long initialStreamWindow() {
        return initialStreamWindow;
    }

    synchronized long connectionSendWindow() {
        return connectionSendWindow;
    }

    /** @return whether the expected stream completed or failed */
    synchronized boolean resolved(int streamId) {
        StreamResponse stream = streams.get(streamId);
        return stream != null && stream.resolved();
    }

    /** @return why the stream failed, or {@code null} if it has not or was never expected */
    synchronized String failure(int streamId) {
        StreamResponse stream = streams.get(streamId);
        return stream == null ? null : stream.failure();
    }

    /** @return the completed stream's response, released at {@code releasedAtNanos} */
    synchronized RaceResponse toResponse(int streamId, long releasedAtNanos) {
        return streams.get(streamId).toResponse(releasedAtNanos);
    }

    /** Marks the connection as being closed on purpose, so that the reader's failure is not reported. */
    synchronized void closing() {
        closing = true;
    }

    /** Reads frames until the connection ends. */
    @Override
    public void run() {
        ChannelHandlerContext context = channel.pipeline().firstContext();
        ByteBuf buffer = Unpooled.buffer(READ_CHUNK);
        byte[] chunk = new byte[READ_CHUNK];
        Frames frames = new Frames();
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                buffer.writeBytes(chunk, 0, read);
                reader.readFrame(context, buffer, frames);
                buffer.discardSomeReadBytes();
            }
            fail("the server closed the connection");
        } catch (IOException | Http2Exception | RuntimeException broken) {
            fail("the connection failed: " + broken);
        } finally {
            buffer.release();
            reader.close();
            channel.finishAndReleaseAll();
        }
    }

    private synchronized void fail(String reason) {
        if (connectionFailure == null && !closing) {
            connectionFailure = goAway == null ? reason : reason + " after " + goAway;
            streams.values().forEach(stream -> stream.fail(connectionFailure + " before the stream completed"));
        }
        notifyAll();
    }

    private synchronized void settings(Http2Settings settings) {
        Long streamsAllowed = settings.maxConcurrentStreams();
        if (streamsAllowed != null) {
            maxConcurrentStreams = streamsAllowed;
        }
        Integer window = settings.initialWindowSize();
        if (window != null) {
            initialStreamWindow = window;
        }
        settingsReceived = true;
        notifyAll();
    }

    private synchronized void goAway(int lastStreamId, long errorCode, String debug) {
        goAway = "GOAWAY " + errorName(errorCode) + " (last stream processed " + lastStreamId
                + (debug.isEmpty() ? "" : ", \"" + debug + "\"") + ")";
        goAwayLastStream = lastStreamId;
        streams.forEach((streamId, stream) -> {
            if (streamId > lastStreamId) {
                stream.fail("the server refused it with " + goAway);
            }
        });
        notifyAll();
    }

    private static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return (error == null ? "error" : error.name()) + " (" + code + ")";
    }

    /** Collects the frames of one connection; called on the reader thread only. */
    private final class Frames extends Http2FrameAdapter {

        @Override
        public void onSettingsRead(ChannelHandlerContext context, Http2Settings settings) throws Http2Exception {
            out.adopt(settings);
            settings(settings);
            try {
                out.acknowledgeSettings();
            } catch (IOException broken) {
                throw Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, broken,
                        "could not acknowledge SETTINGS");
            }
        }

        @Override
        public void onPingRead(ChannelHandlerContext context, long data) throws Http2Exception {
            try {
                out.ping(true, data);
            } catch (IOException broken) {
                throw Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, broken, "could not answer a PING");
            }
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext context, long data) {
            synchronized (Http2Connection.this) {
                lastPingAck = data;
                Http2Connection.this.notifyAll();
            }
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext context, int streamId, int increment) {
            if (streamId == 0) {
                synchronized (Http2Connection.this) {
                    connectionSendWindow += increment;
                    Http2Connection.this.notifyAll();
                }
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                boolean endStream) {
            synchronized (Http2Connection.this) {
                StreamResponse stream = streams.get(streamId);
                if (stream != null) {
                    stream.headers(headers, endStream);
                    Http2Connection.this.notifyAll();
                }
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers,
                int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
            onHeadersRead(context, streamId, headers, padding, endStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                boolean endOfStream) throws Http2Exception {
            int received = data.readableBytes() + padding;
            long increment = 0;
            synchronized (Http2Connection.this) {
                StreamResponse stream = streams.get(streamId);
                if (stream != null) {
                    stream.data(data, endOfStream);
                    Http2Connection.this.notifyAll();
                }
                unacknowledgedReceived += received;
                if (unacknowledgedReceived > RECEIVE_WINDOW / 2) {
                    increment = unacknowledgedReceived;
                    unacknowledgedReceived = 0;
                }
            }
            if (increment > 0) {
                try {
                    out.windowUpdate(0, (int) increment);
                } catch (IOException broken) {
                    throw Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, broken,
                            "could not update the receive window");
                }
            }
            return received;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
            synchronized (Http2Connection.this) {
                StreamResponse stream = streams.get(streamId);
                if (stream != null) {
                    stream.fail("the server reset it with RST_STREAM " + errorName(errorCode));
                    Http2Connection.this.notifyAll();
                }
            }
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
            goAway(lastStreamId, errorCode, debugData.toString(StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds();
    }
}
