package io.raceguard.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Lets the status and headers through to the container's response but holds the body back, up to a
 * limit, so that it can be recorded before anything is sent. Past the limit it stops recording:
 * what it held and everything after goes straight to the client. {@code sendError} is passed on and
 * marks the answer as not recordable (the container writes its error page later). Not thread-safe,
 * like the response it wraps.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

    private final int limit;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean spilled;
    private boolean errorSent;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CapturingResponse(HttpServletResponse response, int limit) {
        super(response);
        this.limit = limit;
    }

    /** @return whether the body outgrew the limit and went to the client unrecorded */
    boolean spilled() {
        return spilled;
    }

    /** @return whether the handler called {@code sendError} */
    boolean errorSent() {
        return errorSent;
    }

    /** @return the body held back; complete unless {@link #spilled()} */
    byte[] body() {
        flushWriter();
        return held.toByteArray();
    }

    /** Sends the held body to the client, with its length unless the body spilled over. */
    void release() throws IOException {
        flushWriter();
        if (spilled) {
            return;
        }
        HttpServletResponse response = (HttpServletResponse) getResponse();
        if (!response.isCommitted()) {
            response.setContentLength(held.size());
        }
        held.writeTo(response.getOutputStream());
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called");
        }
        if (stream == null) {
            stream = new HoldingStream();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null && writer == null) {
            throw new IllegalStateException("getOutputStream() was already called");
        }
        if (writer == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            stream = new HoldingStream();
            writer = new PrintWriter(new OutputStreamWriter(stream, charset));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        flushWriter();
        if (spilled) {
            super.flushBuffer();
        }
    }

    @Override
    public void resetBuffer() {
        if (!spilled) {
            held.reset();
        }
        super.resetBuffer();
    }

    @Override
    public void reset() {
        if (!spilled) {
            held.reset();
        }
        super.reset();
    }

    @Override
    public void sendError(int status) throws IOException {
        errorSent = true;
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        errorSent = true;
        super.sendError(status, message);
    }

    @Override
    public void sendRedirect(String location) {
        setStatus(SC_FOUND);
        setHeader("Location", location);
    }

    @Override
    public void sendRedirect(String location, int status, boolean clearBuffer) {
        if (clearBuffer) {
            resetBuffer();
        }
        setStatus(status);
        setHeader("Location", location);
    }

    private void flushWriter() {
        if (writer != null) {
            writer.flush();
        }
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        if (!spilled && held.size() + length > limit) {
            spilled = true;
            held.writeTo(getResponse().getOutputStream());
        }
        if (spilled) {
            getResponse().getOutputStream().write(bytes, offset, length);
        } else {
            held.write(bytes, offset, length);
        }
    }

    /** The body stream the handler writes to. */
    private final class HoldingStream extends ServletOutputStream {

        @Override
        public void write(int b) throws IOException {
            CapturingResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            CapturingResponse.this.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (spilled) {
                getResponse().getOutputStream().flush();
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("idempotent routes answer with blocking writes");
        }
    }
}
