package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

final class RedisServiceTest {

    @Test
    void shouldReadHostAndPortFromTheUri() {
        assertThat(RedisService.fromUri("redis://127.0.0.1:6380", "s"))
                .isEqualTo(new RedisService("127.0.0.1", 6380, "s"));
        assertThat(RedisService.fromUri("redis://cache/", "s")).isEqualTo(new RedisService("cache", 6379, "s"));
        assertThat(RedisService.fromUri(" redis://[::1]:7000/0 ", "s")).isEqualTo(new RedisService("::1", 7000, "s"));
    }

    @Test
    void shouldWriteTheUriBack() {
        assertThat(new RedisService("127.0.0.1", 6379, "s").uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(new RedisService("::1", 7000, "s").uri()).isEqualTo("redis://[::1]:7000");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rediss://h:6379",
        "redis://:secret@h:6379",
        "redis://user:secret@h:6379",
        "redis://h:6379/2",
        "redis://h:6379?password=secret",
        "h:6379",
        "redis://bad host:6379?password=secret"
    })
    void shouldRefuseWhatItWouldOtherwiseIgnoreWithoutRepeatingSecrets(String uri) {
        assertThatThrownBy(() -> RedisService.fromUri(uri, "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected redis://host:port")
                .hasMessageNotContaining("secret")
                .hasNoCause();
    }

    @Test
    void shouldRejectInvalidParts() {
        assertThatThrownBy(() -> new RedisService("h", 0, "s")).hasMessageContaining("port must be in 1..65535");
        assertThatThrownBy(() -> new RedisService("h", 65_536, "s")).hasMessageContaining("port must be in 1..65535");
        assertThatThrownBy(() -> new RedisService(" ", 6379, "s")).hasMessageContaining("host must not be blank");
        assertThatNullPointerException().isThrownBy(() -> new RedisService(null, 6379, "s")).withMessage("host");
        assertThatNullPointerException().isThrownBy(() -> RedisService.fromUri(null, "s")).withMessage("uri");
    }

    @Test
    void shouldTakeAPrefixChosenElsewhereOnlyIfScanMatchesExactlyTheKeysUnderIt() {
        RedisService server = new RedisService("127.0.0.1", 6379, "s");

        assertThat(server.keyspace("raceguard-demo:1a2b:").key("x")).isEqualTo("raceguard-demo:1a2b:x");
        for (String prefix : new String[] {"no-colon", "a*:", "a?:", "a[b]:", "a\\:"}) {
            assertThatThrownBy(() -> server.keyspace(prefix)).as(prefix)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prefix must end in ':'");
        }
        assertThatNullPointerException().isThrownBy(() -> server.keyspace(null)).withMessage("prefix");
    }

    @Test
    void shouldConnectToTheServerTestsUse() {
        try (Jedis jedis = TestServices.redis().connect()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }
}
