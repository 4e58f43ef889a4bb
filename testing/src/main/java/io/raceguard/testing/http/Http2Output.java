package io.raceguard.testing.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending half of one HTTP/2 connection. Netty's {@link DefaultHttp2FrameWriter} encodes the frames
 * (HPACK included) into an {@link EmbeddedChannel}, which holds them until it is flushed; each operation
 * here ends with one flush, whose bytes are handed to the socket in one {@link OutputStream#write(byte[])}.
 * So {@link #release} puts every withheld final frame into one write, which the kernel sends as one TCP
 * segment when it fits.
 *
 * <p>Thread-safe: the volley's thread and its reader thread (which acknowledges the server's SETTINGS
 * and PINGs) share one instance; each operation holds its monitor from the first frame to the write, so
 * no other frame can split a batch into two writes.
 */
final class Http2Output {

    private final OutputStream out;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext context = channel.pipeline().firstContext();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final List<ChannelFuture> encoded = new ArrayList<>();

    Http2Output(OutputStream out) {
        this.out = out;
    }

    /** Writes the client preface, our SETTINGS, a connection window increment and a PING, in one write. */
    synchronized void open(Http2Settings settings, int connectionWindowIncrement, long ping) throws IOException {
        context.write(Http2CodecUtil.connectionPrefaceBuf());
        encoded.add(writer.writeSettings(context, settings, context.newPromise()));
        encoded.add(writer.writeWindowUpdate(context, 0, connectionWindowIncrement, context.newPromise()));
        encoded.add(writer.writePing(context, false, ping, context.newPromise()));
        flush();
    }

    /**
     * Adopts the frame size and header table size the server announced, for the frames written from now on.
     *
     * @throws Http2Exception if a value is out of the range RFC 9113 allows
     */
    synchronized void adopt(Http2Settings serverSettings) throws Http2Exception {
        Integer maxFrameSize = serverSettings.maxFrameSize();
        if (maxFrameSize != null) {
            writer.configuration().frameSizePolicy().maxFrameSize(maxFrameSize);
        }
        Long headerTableSize = serverSettings.headerTableSize();
        if (headerTableSize != null) {
            writer.configuration().headersConfiguration().maxHeaderTableSize(headerTableSize);
        }
    }

    synchronized void acknowledgeSettings() throws IOException {
        encoded.add(writer.writeSettingsAck(context, context.newPromise()));
        flush();
    }

    synchronized void ping(boolean ack, long data) throws IOException {
        encoded.add(writer.writePing(context, ack, data, context.newPromise()));
        flush();
    }

    synchronized void windowUpdate(int streamId, int increment) throws IOException {
        encoded.add(writer.writeWindowUpdate(context, streamId, increment, context.newPromise()));
        flush();
    }

    /** Tells the server this client is done, naming the last stream it opened; best effort. */
    synchronized void goAway(int lastStreamId) throws IOException {
        encoded.add(writer.writeGoAway(context, lastStreamId, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER,
                context.newPromise()));
        flush();
    }

    /** Writes each request's HEADERS and every DATA frame but its final one, none with END_STREAM. */
    synchronized void sendAllButFinalFrames(List<StreamRequest> requests) throws IOException {
        for (StreamRequest request : requests) {
            encoded.add(writer.writeHeaders(context, request.streamId(), request.headers(), 0, false,
                    context.newPromise()));
            if (request.bodyPrefix().length > 0) {
                encoded.add(writer.writeData(context, request.streamId(),
                        Unpooled.wrappedBuffer(request.bodyPrefix()), 0, false, context.newPromise()));
            }
        }
        flush();
    }

    /**
     * Writes every request's final DATA frame, with END_STREAM, in one socket write.
     *
     * @return {@link System#nanoTime()} read once the frames were encoded, right before the write
     */
    synchronized long release(List<StreamRequest> requests) throws IOException {
        for (StreamRequest request : requests) {
            encoded.add(writer.writeData(context, request.streamId(), Unpooled.wrappedBuffer(request.finalData()),
                    0, true, context.newPromise()));
        }
        byte[] frames = drain();
        long writeStart = System.nanoTime();
        out.write(frames);
        out.flush();
        return writeStart;
    }

    private void flush() throws IOException {
        byte[] frames = drain();
        out.write(frames);
        out.flush();
    }

    /** @return every frame encoded since the last write, checked to have been encoded */
    private byte[] drain() throws IOException {
        channel.flush();
        for (ChannelFuture frame : encoded) {
            if (frame.cause() != null) {
                encoded.clear();
                channel.releaseOutbound();
                throw new IOException("a frame could not be encoded: " + frame.cause().getMessage(), frame.cause());
            }
        }
        encoded.clear();
        ByteArrayOutputStream frames = new ByteArrayOutputStream(256);
        for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
            try {
                buffer.readBytes(frames, buffer.readableBytes());
            } finally {
                buffer.release();
            }
        }
        return frames.toByteArray();
    }
}
