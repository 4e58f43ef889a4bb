package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import io.raceguard.idempotency.IdempotencyCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The response an {@link IdempotencyFilter} records for a key: its status, its stored headers in
 * order, and its body, or no body when it outgrew the capture limit (then it is not replayable).
 * Immutable; the body array is not copied.
 *
 * @param status the HTTP status
 * @param headers the stored header fields, names as the handler set them
 * @param body the body bytes; empty and meaningless when not {@code replayable}
 * @param replayable whether the body was kept whole
 */
record StoredResponse(int status, List<Header> headers, byte[] body, boolean replayable) {

    /** The codec the filter records responses with; a format version byte leads every record. */
    static final IdempotencyCodec<StoredResponse> CODEC = new Codec();

    StoredResponse {
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
    }

    /**
     * One header field.
     *
     * @param name its name
     * @param value its value
     */
    record Header(String name, String value) {
        Header {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredResponse that && status == that.status && replayable == that.replayable
                && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "StoredResponse[status=" + status + ", headers=" + headers.size() + ", body=" + body.length
                + " bytes, replayable=" + replayable + "]";
    }

    private static final class Codec implements IdempotencyCodec<StoredResponse> {

        private static final byte VERSION = 1;

        @Override
        public byte[] encode(StoredResponse response) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + response.body().length);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeShort(response.status());
                out.writeBoolean(response.replayable());
                out.writeInt(response.headers().size());
                for (Header header : response.headers()) {
                    out.writeUTF(header.name());
                    out.writeUTF(header.value());
                }
                out.writeInt(response.body().length);
                out.write(response.body());
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
            return bytes.toByteArray();
        }

        @Override
        public StoredResponse decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new IllegalStateException("unknown stored response format " + version);
                }
                int status = in.readUnsignedShort();
                boolean replayable = in.readBoolean();
                int count = in.readInt();
                List<Header> headers = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    headers.add(new Header(in.readUTF(), in.readUTF()));
                }
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                return new StoredResponse(status, headers, body, replayable);
            } catch (IOException corrupt) {
                throw new IllegalStateException("a stored response is truncated", corrupt);
            }
        }
    }
}
