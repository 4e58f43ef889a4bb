package io.raceguard.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Looks for a server on 127.0.0.1: first a TCP connect, then a real conversation with the default
 * credentials (a JDBC login and validity check, or a Redis {@code PING}), so that some other program
 * on the port is never mistaken for the server. Every step has a timeout. Stateless and thread-safe.
 */
final class LoopbackProbe implements LocalProbe {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackProbe.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int TCP_TIMEOUT_MILLIS = 1_000;
    private static final int VALIDITY_TIMEOUT_SECONDS = 5;

    @Override
    public boolean answers(ServiceKind kind) {
        return answers(kind, kind.standardPort());
    }

    /** Like {@link #answers(ServiceKind)}, on another port, so tests can point it at a fake server. */
    boolean answers(ServiceKind kind, int port) {
        if (!acceptsTcp(port)) {
            return false;
        }
        try {
            return switch (kind) {
                case POSTGRES, MARIADB -> jdbcAnswers(JdbcService.fromUrl(kind.loopbackUrl(port), "probe"));
                case REDIS -> redisAnswers(new RedisService(LOOPBACK, port, "probe"));
            };
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{} does not answer on {}:{}", kind.displayName(), LOOPBACK, port, e);
            return false;
        }
    }

    static boolean acceptsTcp(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), TCP_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean jdbcAnswers(JdbcService service) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                service.jdbcUrl(), service.credentials(service.dialect().probeTimeouts()))) {
            return connection.isValid(VALIDITY_TIMEOUT_SECONDS);
        }
    }

    private static boolean redisAnswers(RedisService service) {
        try (Jedis jedis = service.connect()) {
            return "PONG".equals(jedis.ping());
        }
    }
}
