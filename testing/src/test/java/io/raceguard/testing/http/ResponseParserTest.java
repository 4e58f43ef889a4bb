package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ResponseParserTest {

    @Test
    void shouldDecodeAChunkedBodyWithExtensionsAndTrailers() throws IOException {
        ParsedResponse response = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "7\r\n, world\r\n"
                + "0\r\nX-Checksum: abc\r\nx-checksum: def\r\n\r\n");

        assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(response.trailers().get("X-CHECKSUM")).containsExactly("abc", "def");
    }

    @Test
    void shouldPreferChunkedFramingOverAContentLength() throws IOException {
        ParsedResponse response = parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\n\r\n");

        assertThat(response.body()).asString(StandardCharsets.US_ASCII).isEqualTo("ok");
    }

    @Test
    void shouldReadUntilTheEndOfTheStreamWhenNoLengthIsGiven() throws IOException {
        ParsedResponse response = parse("HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nall of\r\nthis");

        assertThat(response.body()).asString(StandardCharsets.US_ASCII).isEqualTo("all of\r\nthis");
        assertThat(response.trailers()).isEmpty();
    }

    @Test
    void shouldSkipInterimResponsesAndFoldContinuationLines() throws IOException {
        ParsedResponse response = parse("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nX-Long: first\r\n  second\r\nContent-Length: 2\r\n\r\nokEXTRA");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.reason()).isEqualTo("Created");
        assertThat(response.headers().get("x-long")).containsExactly("first second");
        assertThat(response.headers()).doesNotContainKey("Link");
        assertThat(response.body()).asString(StandardCharsets.US_ASCII).isEqualTo("ok");
    }

    @Test
    void shouldReadNoBodyForHeadOr204Or304AndAcceptBareLineFeeds() throws IOException {
        String withLength = "HTTP/1.1 %d X\nContent-Length: 5\n\nhello";

        assertThat(new ResponseParser(input(withLength.formatted(200))).read(false).body()).isEmpty();
        assertThat(parse(withLength.formatted(204)).body()).isEmpty();
        assertThat(parse(withLength.formatted(304)).body()).isEmpty();
        assertThat(parse(withLength.formatted(200)).body()).hasSize(5);
    }

    @Test
    void shouldAcceptAStatusLineWithoutAReasonAndRepeatedEqualLengths() throws IOException {
        ParsedResponse response = parse("HTTP/1.1 200\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok");

        assertThat(response.reason()).isEmpty();
        assertThat(response.body()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded first\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
    })
    void shouldRefuseResponsesThatBreakTheGrammar(String response) {
        assertThatThrownBy(() -> parse(response)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldRefuseAResponseCutShort() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi"))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nServer: x"))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void shouldRefuseLinesAndBodiesBeyondTheLimits() {
        String longLine = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(HttpInput.MAX_LINE_BYTES) + "\r\n\r\n";
        String hugeBody = "HTTP/1.1 200 OK\r\nContent-Length: " + (HttpInput.MAX_BODY_BYTES + 1L) + "\r\n\r\n";

        assertThatThrownBy(() -> parse(longLine)).isInstanceOf(ProtocolException.class).hasMessageContaining("line");
        assertThatThrownBy(() -> parse(hugeBody)).isInstanceOf(ProtocolException.class).hasMessageContaining("body");
    }

    private static ParsedResponse parse(String response) throws IOException {
        return new ResponseParser(input(response)).read(true);
    }

    private static HttpInput input(String response) {
        return new HttpInput(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
