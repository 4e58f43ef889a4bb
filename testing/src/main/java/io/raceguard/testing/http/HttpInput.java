package io.raceguard.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * A buffered reader of HTTP/1.1 response bytes that notes when the first byte arrived and refuses
 * lines and bodies beyond fixed limits, so a broken server cannot exhaust memory. Not thread-safe: one
 * connection, one reading thread.
 */
final class HttpInput {

    static final int MAX_LINE_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean started;
    private long firstByteAtNanos;

    HttpInput(InputStream in) {
        this.in = in;
    }

    /** @return {@link System#nanoTime()} when the first bytes were read; meaningless before */
    long firstByteAtNanos() {
        return firstByteAtNanos;
    }

    /**
     * @return the next line without its CRLF (a bare LF is accepted), decoded as ISO-8859-1
     * @throws EOFException if the stream ends before the line does
     * @throws ProtocolException if the line is longer than {@link #MAX_LINE_BYTES}
     */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (position == limit && !fill()) {
                throw new EOFException("the connection closed in the middle of a line");
            }
            byte next = buffer[position++];
            if (next == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() == MAX_LINE_BYTES) {
                throw new ProtocolException("a response line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(next);
        }
    }

    /**
     * Appends exactly {@code count} bytes to {@code body}.
     *
     * @throws EOFException if the stream ends first
     * @throws ProtocolException if the body would grow beyond {@link #MAX_BODY_BYTES}
     */
    void readExactly(long count, ByteArrayOutputStream body) throws IOException {
        requireRoom(body, count);
        long remaining = count;
        while (remaining > 0) {
            if (position == limit && !fill()) {
                throw new EOFException("the connection closed " + remaining + " bytes before the end of the body");
            }
            int chunk = (int) Math.min(remaining, limit - position);
            body.write(buffer, position, chunk);
            position += chunk;
            remaining -= chunk;
        }
    }

    /** Appends every byte up to the end of the stream to {@code body}. */
    void readToEnd(ByteArrayOutputStream body) throws IOException {
        while (position < limit || fill()) {
            requireRoom(body, limit - position);
            body.write(buffer, position, limit - position);
            position = limit;
        }
    }

    private static void requireRoom(ByteArrayOutputStream body, long more) throws ProtocolException {
        if (body.size() + more > MAX_BODY_BYTES) {
            throw new ProtocolException("a response body is larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            return false;
        }
        if (!started) {
            firstByteAtNanos = System.nanoTime();
            started = true;
        }
        position = 0;
        limit = read;
        return true;
    }
}
