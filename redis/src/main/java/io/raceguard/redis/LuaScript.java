package io.raceguard.redis;

import io.raceguard.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script shipped as a resource beside this class, run by {@code EVALSHA}.
 *
 * <p>The SHA-1 is computed here, so nothing is sent before the first call. A node that does not have
 * the script yet (first use, a restart, a failover, a Cluster node that never saw it) answers
 * {@code NOSCRIPT}; the call is then repeated once as {@code EVAL}, which runs the script and caches it
 * on that node. A {@code NOSCRIPT} reply means the script did not run, so the repeat cannot apply it
 * twice. Caller data travels only in {@code KEYS} and {@code ARGV}, never in the script text.
 *
 * <p>Immutable and thread-safe.
 */
final class LuaScript {

    private final String name;
    private final String text;
    private final String sha;
    // Encoded once: the binary calls would otherwise encode the SHA on every call.
    private final byte[] shaBytes;
    private final byte[] textBytes;

    private LuaScript(String name, String text) {
        this.name = name;
        this.text = text;
        this.sha = sha1Hex(text);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
        this.textBytes = text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param resourceName the file name of the script, beside this class
     * @return the script
     * @throws UncheckedIOException if the resource is missing or unreadable (a packaging fault)
     */
    static LuaScript fromResource(String resourceName) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing script resource " + resourceName));
            }
            return new LuaScript(resourceName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read script resource " + resourceName, e);
        }
    }

    /**
     * Runs the script in one round trip (two on a node that lacks it).
     *
     * @param client the Redis client; on a Cluster, {@code keys} must share one hash slot
     * @param keys the script's {@code KEYS}
     * @param args the script's {@code ARGV}
     * @return the reply: a {@code Long}, a {@code String}, a {@code List} or {@code null}
     * @throws BackendException if Redis could not be reached or the script failed
     */
    Object run(UnifiedJedis client, List<String> keys, List<String> args) {
        try {
            try {
                return client.evalsha(sha, keys, args);
            } catch (JedisNoScriptException notCached) {
                return client.eval(text, keys, args);
            }
        } catch (JedisException e) {
            throw new BackendException("the Redis script " + name + " failed", e);
        }
    }

    /**
     * Like {@link #run(UnifiedJedis, List, List)}, for binary keys and arguments: nothing is decoded.
     *
     * @param client the Redis client; on a Cluster, {@code keys} must share one hash slot
     * @param keys the script's {@code KEYS}
     * @param args the script's {@code ARGV}
     * @return the raw reply: a {@code Long}, a {@code byte[]}, a {@code List} of those, or {@code null}
     * @throws BackendException if Redis could not be reached or the script failed
     */
    Object runBinary(UnifiedJedis client, List<byte[]> keys, List<byte[]> args) {
        try {
            try {
                return client.evalsha(shaBytes, keys, args);
            } catch (JedisNoScriptException notCached) {
                return client.eval(textBytes, keys, args);
            }
        } catch (JedisException e) {
            throw new BackendException("the Redis script " + name + " failed", e);
        }
    }

    /**
     * Like {@link #runBinary(UnifiedJedis, List, List)}, with keys and arguments in one array, for hot
     * paths that would otherwise build two lists per call. The array is not kept nor changed.
     *
     * @param client the Redis client; on a Cluster, the keys must share one hash slot
     * @param keyCount how many leading elements of {@code keysThenArgs} are the script's {@code KEYS}
     * @param keysThenArgs the script's {@code KEYS}, then its {@code ARGV}
     * @return the raw reply: a {@code Long}, a {@code byte[]}, a {@code List} of those, or {@code null}
     * @throws BackendException if Redis could not be reached or the script failed
     */
    Object runBinary(UnifiedJedis client, int keyCount, byte[]... keysThenArgs) {
        try {
            try {
                return client.evalsha(shaBytes, keyCount, keysThenArgs);
            } catch (JedisNoScriptException notCached) {
                return client.eval(textBytes, keyCount, keysThenArgs);
            }
        } catch (JedisException e) {
            throw new BackendException("the Redis script " + name + " failed", e);
        }
    }

    /** @return the SHA-1 of the script text, in lower-case hex, as Redis names it */
    String sha() {
        return sha;
    }

    private static String sha1Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + "]";
    }
}
