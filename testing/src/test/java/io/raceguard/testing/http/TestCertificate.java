package io.raceguard.testing.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate made at run time with the JDK's {@code keytool}, since the JDK has no
 * public API for making certificates. Held in a PKCS#12 key store that serves both as the server's
 * key store and as the client's trust store.
 */
final class TestCertificate {

    private static final char[] PASSWORD = "race-test".toCharArray();

    private final KeyStore keyStore;

    private TestCertificate(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    /**
     * @param directory where the key store file is written
     * @param subjectAlternativeName what the certificate is for, e.g. {@code ip:127.0.0.1}
     */
    static TestCertificate generate(Path directory, String subjectAlternativeName)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path file = Files.createTempFile(directory, "server", ".p12");
        Files.delete(file);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=raceguard test", "-ext", "SAN=" + subjectAlternativeName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        return new TestCertificate(keyStore);
    }

    /** @return the store holding the certificate, to trust it */
    KeyStore trustStore() {
        return keyStore;
    }

    /** @return a TLS context for a server presenting the certificate */
    SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
