package io.raceguard.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

final class IdempotentResultTest {

    @Test
    void shouldReadTheResultOfAnExecutionAndOfAReplayAlike() {
        Idempotency idempotency = Idempotency.builder(InMemoryIdempotencyStore.create()).build();
        IdempotencyKey key = IdempotencyKey.of("user-42:POST /charges", "key-1");
        byte[] request = {1, 2, 3};

        IdempotentResult<String> first = idempotency.execute(key, request, IdempotencyCodec.utf8(), () -> "charge-1");
        IdempotentResult<String> retry = idempotency.execute(key, request, IdempotencyCodec.utf8(), () -> "charge-2");

        assertThat(first).isInstanceOf(IdempotentResult.Executed.class);
        assertThat(retry).isInstanceOf(IdempotentResult.Replayed.class);
        assertThat(first.value()).isEqualTo(retry.value()).isEqualTo("charge-1");
        assertThat(first.toOptional()).isEqualTo(retry.toOptional()).contains("charge-1");
    }

    @Test
    void shouldRefuseToReadAResultWhereThereIsNone() {
        IdempotentResult<String> inProgress = new IdempotentResult.InProgress<>(Duration.ofSeconds(2));
        IdempotentResult<String> keyReused = new IdempotentResult.KeyReused<>();

        assertThatThrownBy(inProgress::value).isInstanceOf(NoSuchElementException.class).hasMessageContaining("PT2S");
        assertThatThrownBy(keyReused::value).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("different request");
        assertThat(inProgress.toOptional()).isEmpty();
        assertThat(keyReused.toOptional()).isEmpty();
    }
}
