package io.raceguard.testing.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP/2 server on loopback, built on Netty's server-side {@link Http2ConnectionHandler}: h2c with
 * prior knowledge, or TLS with ALPN {@code h2}. It stamps each request when its END_STREAM is read, with
 * {@link System#nanoTime()} and with the number of the socket read that carried it, echoes both in the
 * {@code x-arrival-nanos} and {@code x-read-number} headers, and answers {@code method path body}.
 */
final class Http2TestServer implements AutoCloseable {

    /** What the server does besides answering. */
    enum Behaviour {
        ANSWER,
        /** Resets stream 3 with REFUSED_STREAM once it completes. */
        RESET_STREAM_3,
        /** Sends GOAWAY (last stream 1) when the first request's HEADERS arrive. */
        GOAWAY_AFTER_STREAM_1
    }

    /** One completed request as the server saw it. */
    record Arrival(int streamId, long readNumber, long nanos) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final List<Integer> streamsOpened = new CopyOnWriteArrayList<>();
    private final Channel listener;
    private final boolean secure;

    private Http2TestServer(SSLContext tls, long maxConcurrentStreams, Behaviour behaviour) throws InterruptedException {
        this.secure = tls != null;
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ReadCounter reads = new ReadCounter();
                        channel.pipeline().addLast(reads);
                        if (tls != null) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            SSLParameters parameters = engine.getSSLParameters();
                            parameters.setApplicationProtocols(new String[] {"h2"});
                            engine.setSSLParameters(parameters);
                            channel.pipeline().addLast(new SslHandler(engine));
                        }
                        channel.pipeline().addLast(new HandlerBuilder(reads, behaviour,
                                Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams)).build());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    static Http2TestServer start(SSLContext tls, long maxConcurrentStreams, Behaviour behaviour)
            throws InterruptedException {
        return new Http2TestServer(tls, maxConcurrentStreams, behaviour);
    }

    static Http2TestServer h2c() throws InterruptedException {
        return start(null, 100, Behaviour.ANSWER);
    }

    URI uri() {
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        return URI.create((secure ? "https" : "http") + "://127.0.0.1:" + port);
    }

    HttpRace race() {
        return HttpRace.to(uri()).singlePacket().arrivalHeader("x-arrival-nanos");
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** @return the streams whose HEADERS arrived, in order */
    List<Integer> streamsOpened() {
        return List.copyOf(streamsOpened);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts the socket reads of one connection, ahead of TLS, so each request knows which read completed it. */
    private static final class ReadCounter extends ChannelInboundHandlerAdapter {
        private long reads;

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            reads++;
            context.fireChannelRead(message);
        }
    }

    private final class HandlerBuilder extends AbstractHttp2ConnectionHandlerBuilder<Handler, HandlerBuilder> {
        private final ReadCounter reads;
        private final Behaviour behaviour;

        HandlerBuilder(ReadCounter reads, Behaviour behaviour, Http2Settings settings) {
            this.reads = reads;
            this.behaviour = behaviour;
            initialSettings(settings);
        }

        @Override
        public Handler build() {
            return super.build();
        }

        @Override
        protected Handler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            Handler handler = new Handler(decoder, encoder, settings, reads, behaviour);
            frameListener(handler.frames);
            return handler;
        }
    }

    private final class Handler extends Http2ConnectionHandler {
        private final ReadCounter reads;
        private final Behaviour behaviour;
        private final Map<Integer, Http2Headers> requestHeaders = new HashMap<>();
        private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
        final Frames frames = new Frames();

        Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                ReadCounter reads, Behaviour behaviour) {
            super(decoder, encoder, settings);
            this.reads = reads;
            this.behaviour = behaviour;
        }

        private void complete(ChannelHandlerContext context, int streamId) {
            long nanos = System.nanoTime();
            arrivals.add(new Arrival(streamId, reads.reads, nanos));
            if (behaviour == Behaviour.RESET_STREAM_3 && streamId == 3) {
                encoder().writeRstStream(context, streamId, Http2Error.REFUSED_STREAM.code(), context.newPromise());
                context.flush();
                return;
            }
            Http2Headers request = requestHeaders.remove(streamId);
            String body = bodies.remove(streamId).toString(StandardCharsets.UTF_8);
            ByteBuf answer = Unpooled.copiedBuffer(request.method() + " " + request.path() + " " + body,
                    StandardCharsets.UTF_8);
            Http2Headers response = new DefaultHttp2Headers().status("200")
                    .add("x-arrival-nanos", Long.toString(nanos))
                    .add("x-read-number", Long.toString(reads.reads))
                    .add("content-type", "text/plain; charset=utf-8");
            encoder().writeHeaders(context, streamId, response, 0, false, context.newPromise());
            encoder().writeData(context, streamId, answer, 0, true, context.newPromise());
            context.flush();
        }

        private final class Frames extends Http2FrameAdapter {
            @Override
            public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                    boolean endStream) {
                streamsOpened.add(streamId);
                requestHeaders.put(streamId, headers);
                bodies.put(streamId, new ByteArrayOutputStream());
                if (behaviour == Behaviour.GOAWAY_AFTER_STREAM_1 && streamId == 1) {
                    goAway(context, 1, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, context.newPromise());
                    context.flush();
                }
                if (endStream) {
                    complete(context, streamId);
                }
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers,
                    int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
                onHeadersRead(context, streamId, headers, padding, endStream);
            }

            @Override
            public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                    boolean endOfStream) {
                int processed = data.readableBytes() + padding;
                ByteArrayOutputStream body = bodies.get(streamId);
                if (body != null) {
                    byte[] bytes = new byte[data.readableBytes()];
                    data.readBytes(bytes);
                    body.writeBytes(bytes);
                    if (endOfStream) {
                        complete(context, streamId);
                    }
                }
                return processed;
            }
        }
    }
}
