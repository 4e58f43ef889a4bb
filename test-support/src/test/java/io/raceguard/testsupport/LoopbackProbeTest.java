package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class LoopbackProbeTest {

    private final LoopbackProbe probe = new LoopbackProbe();

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldRecognizeEachServerThisMachineRunsOnItsStandardPort(ServiceKind kind) {
        String endpoint = switch (kind) {
            case POSTGRES -> TestServices.postgres().jdbcUrl();
            case MARIADB -> TestServices.mariadb().jdbcUrl();
            case REDIS -> TestServices.redis().uri();
        };
        assumeTrue(endpoint.contains("//127.0.0.1:" + kind.standardPort() + "/") || endpoint.endsWith(
                "//127.0.0.1:" + kind.standardPort()), kind.displayName() + " is not on its standard port here");

        assertThat(probe.answers(kind)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldNotAnswerWhenNothingListens(ServiceKind kind) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(probe.answers(kind, closedPort)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldNotMistakeAnotherProgramForTheServer(ServiceKind kind) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread impostor = new Thread(() -> answerEveryoneWithHttp(server), "impostor");
            impostor.setDaemon(true);
            impostor.start();

            assertThat(probe.answers(kind, server.getLocalPort())).isFalse();
        }
    }

    private static void answerEveryoneWithHttp(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return; // the test closed the server
            }
        }
    }
}
