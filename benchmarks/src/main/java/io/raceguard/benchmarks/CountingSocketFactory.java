package io.raceguard.benchmarks;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;
import javax.net.SocketFactory;

/**
 * Gives the PostgreSQL driver sockets that count how often it flushes what it wrote. The driver
 * buffers a whole exchange (parse, bind, execute, sync) and flushes once before it waits for the
 * answer, so flushes are database round trips, whatever the pool or the library does in between.
 *
 * <p>The driver instantiates this class by name, so the count is static. Thread-safe.
 */
public final class CountingSocketFactory extends SocketFactory {

    private static final LongAdder FLUSHES = new LongAdder();

    /** Used by the driver through reflection. */
    public CountingSocketFactory() {}

    /** @return round trips sent through sockets of this factory so far, connection setup included */
    static long roundTrips() {
        return FLUSHES.sum();
    }

    @Override
    public Socket createSocket() {
        return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("the driver creates unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("the driver creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("the driver creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("the driver creates unconnected sockets");
    }

    private static final class CountingSocket extends Socket {

        private OutputStream counting;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (counting == null) {
                counting = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void flush() throws IOException {
                        FLUSHES.increment();
                        out.flush();
                    }
                };
            }
            return counting;
        }
    }
}
