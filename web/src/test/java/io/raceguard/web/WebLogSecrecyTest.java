package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testsupport.logs.CapturedRecord;
import io.raceguard.testsupport.logs.CapturingLogProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * No idempotency key, principal or body reaches a log record above DEBUG, whatever the filters
 * answer: an execution, a replay, a reused key, refusals of bad keys, a handler that throws, a rate
 * limit. Everything logged in the JVM, the container's records included, is read back from a
 * capturing SLF4J provider. Runs only in the surefire execution that selects {@link CapturingLogProvider}.
 */
final class WebLogSecrecyTest {

    private final String mark = "secret-" + UUID.randomUUID();

    @Test
    void shouldLogNoKeyPrincipalOrBodyAboveDebug() throws Exception {
        ChargeServlet charges = new ChargeServlet(0);
        IdempotencyFilter idempotency = IdempotencyFilter.builder(InMemoryIdempotencyStore.create())
                .requireKey("/charges").principal(PrincipalResolver.header("X-User")).maxKeyLength(100).build();
        RateLimitFilter limits = RateLimitFilter.builder()
                .limit("/charges", InMemoryRateLimiter.create(RateLimit.tokenBucket(8, Duration.ofHours(1))))
                .key(PrincipalResolver.header("X-User"))
                .build();
        try (JettyApp app = JettyApp.routes().filter(limits).filter(idempotency).servlet("/charges", charges).start()) {
            HttpRace http = HttpRace.to(app.uri());
            String key = mark + "-key";
            http.fire(charge(key, mark + "-body"), 1);
            http.fire(charge(key, mark + "-body"), 1);
            http.fire(charge(key, mark + "-other-body"), 1);
            http.fire(charge("\"" + mark + "\\x\"", mark + "-body"), 1);
            http.fire(charge(mark.repeat(5), mark + "-body"), 1);
            charges.failNext();
            http.fire(charge(mark + "-failing", mark + "-body"), 1);
            for (int i = 0; i < 4; i++) {
                http.fire(charge(mark + "-limited-" + i, mark + "-body"), 1);
            }
        }

        List<CapturedRecord> records = CapturingLogProvider.records();
        assertThat(records)
                .as("records captured; run this test in the surefire execution that sets -Dslf4j.provider=%s",
                        CapturingLogProvider.class.getName())
                .anyMatch(record -> record.level() == Level.DEBUG
                        && record.fullText().startsWith("Refused an idempotent"));
        for (CapturedRecord record : records) {
            if (record.level().toInt() > Level.DEBUG.toInt()) {
                assertThat(record.fullText()).as("a record above DEBUG").doesNotContain(mark);
            }
        }
    }

    private RaceRequest charge(String key, String body) {
        return RaceRequest.post("/charges").header("X-User", mark + "-user").header(IdempotencyFilter.KEY_HEADER, key)
                .body("text/plain", body.getBytes(StandardCharsets.UTF_8));
    }
}
