package io.raceguard.testing.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificates a race trusts over {@code https}, and whether the server's host name must match.
 *
 * @param context makes the TLS sockets
 * @param verifyHostname whether the certificate must name the host the race connects to
 */
record TlsTrust(SSLContext context, boolean verifyHostname) {

    static TlsTrust jvmDefault() {
        try {
            return new TlsTrust(SSLContext.getDefault(), true);
        } catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("the JVM has no default TLS context", unavailable);
        }
    }

    static TlsTrust insecure() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            return new TlsTrust(context, false);
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("the JVM cannot make a TLS context", unavailable);
        }
    }

    /**
     * Accepts every certificate chain. An {@link X509ExtendedTrustManager}, so that the JDK uses it as
     * is instead of wrapping it in one that checks host names.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
