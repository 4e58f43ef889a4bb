package io.raceguard.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * SHA-256 over what makes a request the same request: method, path, query, the selected headers and
 * the body, each part length-prefixed so that no two requests share an encoding. Stateless and
 * thread-safe.
 */
final class RequestFingerprint {

    private RequestFingerprint() {}

    static byte[] of(HttpServletRequest request, String path, List<String> headerNames, byte[] body) {
        MessageDigest digest = sha256();
        part(digest, request.getMethod());
        part(digest, path);
        String query = request.getQueryString();
        part(digest, query == null ? "" : "?" + query);
        for (String name : headerNames) {
            part(digest, name.toLowerCase(Locale.ROOT));
            List<String> values = Collections.list(request.getHeaders(name));
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(values.size()).array());
            values.forEach(value -> part(digest, value));
        }
        part(digest, body);
        return digest.digest();
    }

    /** @return the unpadded base64url SHA-256 of {@code text}: a fixed-length stand-in that reveals nothing */
    static String digestOf(String text) {
        byte[] digest = sha256().digest(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static void part(MessageDigest digest, String text) {
        part(digest, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void part(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform must provide SHA-256", impossible);
        }
    }
}
