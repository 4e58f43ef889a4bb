package io.raceguard.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 twin of {@link ArrivalStampServer}: h2c with prior knowledge on loopback, one event-loop
 * thread, stamping each request with {@link System#nanoTime()} the moment it decodes the frame that
 * carries END_STREAM (the request's final byte), and answering {@code 200} with the stamp in a header
 * once every frame of the read is stamped.
 * Built on Netty's server-side {@link Http2ConnectionHandler}. Not for any other use.
 */
final class Http2ArrivalStampServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    private final String arrivalHeader;

    Http2ArrivalStampServer(String arrivalHeader) throws InterruptedException {
        this.arrivalHeader = arrivalHeader.toLowerCase(Locale.ROOT);
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new Builder().build());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort());
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
        Builder() {
            initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(256));
        }

        @Override
        public Handler build() {
            return super.build();
        }

        @Override
        protected Handler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings settings) {
            Handler handler = new Handler(decoder, encoder, settings);
            frameListener(handler.frames);
            return handler;
        }
    }

    private final class Handler extends Http2ConnectionHandler {
        /** Stream id and arrival stamp of each request completed in the current read. */
        private final List<long[]> arrived = new ArrayList<>();
        final Http2FrameAdapter frames = new Http2FrameAdapter() {
            @Override
            public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                    boolean endStream) {
                if (endStream) {
                    arrived.add(new long[] {streamId, System.nanoTime()});
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
                if (endOfStream) {
                    arrived.add(new long[] {streamId, System.nanoTime()});
                }
                return data.readableBytes() + padding;
            }
        };

        Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            super(decoder, encoder, settings);
        }

        /** Answers once every frame of the read is stamped, so answering cannot delay a stamp. */
        @Override
        public void channelReadComplete(ChannelHandlerContext context) throws Exception {
            for (long[] stamp : arrived) {
                answer(context, (int) stamp[0], stamp[1]);
            }
            arrived.clear();
            super.channelReadComplete(context);
        }

        private void answer(ChannelHandlerContext context, int streamId, long arrival) {
            Http2Headers response = new DefaultHttp2Headers().status("200").add(arrivalHeader, Long.toString(arrival));
            encoder().writeHeaders(context, streamId, response, 0, false, context.newPromise());
            encoder().writeData(context, streamId, Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII), 0, true,
                    context.newPromise());
        }
    }
}
