package io.raceguard.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-256 of a request, which tells a retry of the same request from a reuse of its key. */
final class RequestFingerprint {

    private RequestFingerprint() {}

    static byte[] of(byte[] request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(request);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform must provide SHA-256", impossible);
        }
    }

    static boolean same(byte[] fingerprint, byte[] other) {
        return MessageDigest.isEqual(fingerprint, other);
    }
}
