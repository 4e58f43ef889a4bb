package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.idempotency.IdempotentResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each outcome's status follows the IETF Idempotency-Key draft. */
final class IdempotencyStatusTest {

    @Test
    void shouldMapEachResultToItsHttpStatus() {
        assertThat(IdempotencyStatus.of(new IdempotentResult.Executed<>("receipt"))).isEqualTo(200);
        assertThat(IdempotencyStatus.of(new IdempotentResult.Replayed<>("receipt"))).isEqualTo(200);
        assertThat(IdempotencyStatus.of(new IdempotentResult.InProgress<>(Duration.ofSeconds(1)))).isEqualTo(409);
        assertThat(IdempotencyStatus.of(new IdempotentResult.KeyReused<>())).isEqualTo(422);
        assertThat(IdempotencyStatus.MISSING_OR_MALFORMED_KEY).isEqualTo(400);
        assertThatThrownBy(() -> IdempotencyStatus.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("result");
    }
}
