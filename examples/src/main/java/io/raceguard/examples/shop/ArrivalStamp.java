package io.raceguard.examples.shop;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Echoes in {@value Shop#ARRIVAL_HEADER} the {@link System#nanoTime()} at which the request's body was
 * read to its end, whoever reads it: the shop's servlet, or the idempotency filter in front of the
 * guarded charge. The first read that reaches the end stamps the response, before any of it is
 * written. Thread-safe; each request gets its own wrapper.
 */
final class ArrivalStamp implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(new StampingRequest((HttpServletRequest) request, (HttpServletResponse) response), response);
    }

    /** The request whose body stream stamps the response once it reaches its end. */
    private static final class StampingRequest extends HttpServletRequestWrapper {

        private final HttpServletResponse response;
        private ServletInputStream stamping;

        StampingRequest(HttpServletRequest request, HttpServletResponse response) {
            super(request);
            this.response = response;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stamping == null) {
                stamping = new StampingStream(super.getInputStream(), response);
            }
            return stamping;
        }
    }

    /** Passes every read through, and stamps the response at the first end of stream it sees. */
    private static final class StampingStream extends ServletInputStream {

        private final ServletInputStream body;
        private final HttpServletResponse response;
        private boolean stamped;

        StampingStream(ServletInputStream body, HttpServletResponse response) {
            this.body = body;
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            return stampAtEnd(body.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return stampAtEnd(body.read(buffer, offset, length));
        }

        private int stampAtEnd(int read) {
            if (read < 0 && !stamped) {
                stamped = true;
                response.setHeader(Shop.ARRIVAL_HEADER, Long.toString(System.nanoTime()));
            }
            return read;
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }
    }
}
