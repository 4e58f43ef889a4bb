package io.raceguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.testing.http.RaceRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RawRequestFileTest {

    private static final String BURP = String.join("\r\n",
            "POST /naive/coupons/redeem?src=burp HTTP/1.1",
            "Host: 127.0.0.1:8080",
            "User-Agent: Mozilla/5.0",
            "Content-Type: application/x-www-form-urlencoded",
            "Content-Length: 22",
            "Connection: close",
            "Cookie: session=u{i}",
            "",
            "code=SAVE20&user=u{i}\n");

    @TempDir
    Path directory;

    @Test
    void shouldReadABurpExportWithCrlfLineEndings() throws Exception {
        RequestTemplate template = RawRequestFile.read(write(BURP), null);

        assertThat(template.base()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(template.method()).isEqualTo("POST");
        assertThat(template.target()).isEqualTo("/naive/coupons/redeem?src=burp");
        assertThat(template.headers()).containsExactly(Map.entry("User-Agent", "Mozilla/5.0"),
                Map.entry("Content-Type", "application/x-www-form-urlencoded"),
                Map.entry("Cookie", "session=u{i}"));
        RaceRequest request = template.request(7);
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("code=SAVE20&user=u7\n");
        assertThat(request.header("Cookie")).hasValue("session=u7");
    }

    @Test
    void shouldReadTheSameRequestWithLfLineEndings() throws Exception {
        RequestTemplate crlf = RawRequestFile.read(write(BURP), null);
        RequestTemplate lf = RawRequestFile.read(write(BURP.replace("\r\n", "\n")), null);

        assertThat(lf.target()).isEqualTo(crlf.target());
        assertThat(lf.headers()).isEqualTo(crlf.headers());
        assertThat(lf.body()).isEqualTo(crlf.body());
    }

    @Test
    void shouldCutTheBodyAtItsContentLengthAndKeepItWhole() throws Exception {
        String file = "PUT /x HTTP/1.1\nHost: shop.example\nContent-Length: 5\n\nhello\n\n";

        assertThat(RawRequestFile.read(write(file), null).body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSendToTheCommandLineUrlOverTheHostHeader() throws Exception {
        RequestTemplate template = RawRequestFile.read(write(BURP), "https://127.0.0.1:8443");

        assertThat(template.base()).isEqualTo(URI.create("https://127.0.0.1:8443"));
        assertThat(template.target()).isEqualTo("/naive/coupons/redeem?src=burp");
    }

    @Test
    void shouldReadAnHttp2ExportFromDeveloperTools() throws Exception {
        String file = "GET /state/naive HTTP/2\n:authority: 127.0.0.1:8080\naccept: application/json\n\n";

        RequestTemplate template = RawRequestFile.read(write(file), null);

        assertThat(template.base()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(template.headers()).containsExactly(Map.entry("accept", "application/json"));
    }

    @Test
    void shouldRefuseAFileThatIsNotARequest() throws Exception {
        Path notARequest = write("{\"code\":\"SAVE20\"}\n");

        assertThatThrownBy(() -> RawRequestFile.read(notARequest, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request file " + notARequest + " does not start with a request line"
                        + " ('METHOD /path HTTP/1.1'), has '{\"code\":\"SAVE20\"}'");
    }

    @Test
    void shouldRefuseAHeaderLineWithoutAColonNamingItsLine() throws Exception {
        Path broken = write("POST / HTTP/1.1\r\nHost: a\r\nthis is not a header\r\n\r\n");

        assertThatThrownBy(() -> RawRequestFile.read(broken, null))
                .hasMessageStartingWith("request file " + broken + " line 3 is not a header line");
    }

    @Test
    void shouldRefuseABodyShorterThanItsContentLength() throws Exception {
        Path truncated = write("POST / HTTP/1.1\nHost: a\nContent-Length: 50\n\nshort");

        assertThatThrownBy(() -> RawRequestFile.read(truncated, null))
                .hasMessage("request file " + truncated + " sets Content-Length 50 but its body has only 5 bytes");
    }

    @Test
    void shouldAskForTheServerWhenTheFileHasNoHost() throws Exception {
        Path hostless = write("GET / HTTP/1.1\n\n");

        assertThatThrownBy(() -> RawRequestFile.read(hostless, null)).hasMessageContaining("has no Host header");
    }

    private Path write(String content) throws Exception {
        Path file = Files.createTempFile(directory, "request", ".txt");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }
}
