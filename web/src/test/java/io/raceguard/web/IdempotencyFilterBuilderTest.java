package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each option is checked as it is set, may be set once, and the options must fit together. */
final class IdempotencyFilterBuilderTest {

    private final IdempotencyStore store = InMemoryIdempotencyStore.create();

    @Test
    void shouldPublishTheDefaultExpiryPolicy() {
        IdempotencyFilter filter = IdempotencyFilter.builder(store).requireKey("/charges").build();

        assertThat(filter.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(filter.retention()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldRefuseEachBadOptionAsItIsSet() {
        IdempotencyFilter.Builder builder = IdempotencyFilter.builder(store);

        assertThatThrownBy(() -> IdempotencyFilter.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("store");
        assertThatThrownBy(builder::requireKey).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requireKey("charges")).hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> builder.requireKey("/a*")).hasMessageContaining("'*' may only end");
        assertThatThrownBy(() -> builder.methods("PO ST")).hasMessageContaining("HTTP tokens");
        assertThatThrownBy(() -> builder.maxKeyLength(0)).hasMessageContaining("maxKeyLength must be in 1..1024");
        assertThatThrownBy(() -> builder.maxKeyLength(1025)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxRequestBytes(0)).hasMessageContaining("maxRequestBytes");
        assertThatThrownBy(() -> builder.maxResponseBytes(-1)).hasMessageContaining("maxResponseBytes");
        assertThatThrownBy(() -> builder.lease(Duration.ZERO)).hasMessageContaining("lease");
        assertThatThrownBy(() -> builder.retention(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.principal(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.storedStatuses(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one route");
    }

    @Test
    void shouldLetEachOptionBeSetOnce() {
        IdempotencyFilter.Builder builder = IdempotencyFilter.builder(store).requireKey("/a").acceptKey("/b")
                .methods("POST").lease(Duration.ofSeconds(1)).retention(Duration.ofMinutes(1)).maxKeyLength(64);

        assertThatThrownBy(() -> builder.requireKey("/c")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.acceptKey("/c")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.methods("PUT")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.lease(Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.maxKeyLength(32)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseOptionsThatDoNotFitTogether() {
        assertThatThrownBy(() -> IdempotencyFilter.builder(store).requireKey("/a").acceptKey("/a").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyFilter.builder(store).requireKey("/a")
                .lease(Duration.ofMinutes(2)).retention(Duration.ofMinutes(1)).build())
                .hasMessageContaining("must be at least the lease");
    }
}
