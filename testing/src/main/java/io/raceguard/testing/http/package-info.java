/**
 * The HTTP transport of the hammer: {@link io.raceguard.testing.http.HttpRace} fires
 * {@link io.raceguard.testing.http.RaceRequest}s so that they complete together and returns a
 * {@link io.raceguard.testing.http.RaceVolley} of {@link io.raceguard.testing.http.RaceResponse}s with the
 * measured release spread and, when the server echoes its clock, the arrival spread it saw.
 *
 * <p>Two techniques, switched by one option: HTTP/1.1 last-byte synchronisation over pre-opened
 * connections (the default; JDK only: {@link java.net.Socket} and {@link javax.net.ssl}), and the HTTP/2
 * single-packet volley ({@link io.raceguard.testing.http.HttpRace#singlePacket()}), which puts the final
 * frames of every request into one TCP packet.
 *
 * <p>The HTTP/2 frames and HPACK come from Netty's {@code codec-http2}, used as a codec only, over the same
 * blocking sockets as HTTP/1.1: its {@code DefaultHttp2FrameWriter} encodes each frame, with an explicit
 * END_STREAM flag, into a channel buffer without flushing, so the withheld frames of every stream become
 * one byte array and one socket write; its {@code DefaultHttp2FrameReader} decodes the server's frames,
 * CONTINUATION and HPACK included. Client libraries that speak HTTP/2 (the JDK {@code HttpClient}, OkHttp,
 * Jetty's {@code HTTP2Client}) either expose no frames or flush each one on their own, which splits the
 * release into as many writes as there are streams.
 */
package io.raceguard.testing.http;
