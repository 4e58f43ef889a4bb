package io.raceguard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.examples.shop.ShopSettings;
import io.raceguard.testsupport.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo's main job in this JVM, as {@code java -jar raceguard-demo.jar} does: the naive
 * endpoints must lose and every guarded endpoint must hold in every round.
 */
final class DemoJobTest {

    private static final List<String> SEED_RACES = List.of("/coupons/redeem", "/transfer", "/signup", "/orders",
            "/fulfilment");

    @Test
    void shouldCatchTheNaiveEndpointsAndFindEveryGuardedEndpointHoldingOnTheEmbeddedDefault() throws IOException {
        ByteArrayOutputStream table = new ByteArrayOutputStream();

        DemoReport report = RaceguardDemo.hammer(ShopSettings.embedded(),
                new PrintStream(table, true, StandardCharsets.UTF_8));

        System.out.println(table.toString(StandardCharsets.UTF_8));
        assertNaiveLostAndGuardedHeld(report);
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("Every guarded endpoint held in every round.");
    }

    @Test
    void shouldDoTheSameWithTheTablesOnPostgresAndRaceguardsStateOnRedis() throws IOException {
        ShopSettings settings = ServersForTests.postgresAndRedis(TestServices.postgres(), TestServices.redis());
        ByteArrayOutputStream table = new ByteArrayOutputStream();

        DemoReport report = RaceguardDemo.hammer(settings, new PrintStream(table, true, StandardCharsets.UTF_8));

        System.out.println(table.toString(StandardCharsets.UTF_8));
        assertNaiveLostAndGuardedHeld(report);
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("Shop tables: PostgreSQL at ", "Redis at ");
    }

    @Test
    void shouldExplainItsUsageAndExitWithTwoOnUnknownArguments() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = RaceguardDemo.run(List.of("attack"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:", "serve [--port P]");
        assertThat(RaceguardDemo.run(List.of("serve", "--port", "70000"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
    }

    private static void assertNaiveLostAndGuardedHeld(DemoReport report) {
        assertThat(report.results()).hasSize(2 * Attacks.all().size());
        for (String path : SEED_RACES) {
            AttackResult naive = report.result(path, "naive").orElseThrow();
            assertThat(naive.roundsOverLimit()).as("rounds over the limit at naive %s", path).isPositive();
        }
        for (AttackResult result : report.results()) {
            if (result.guarded()) {
                assertThat(result.rounds()).as("rounds of guarded %s", result.attack().path())
                        .hasSize(DemoRun.ROUNDS)
                        .allSatisfy(round -> {
                            assertThat(round.observed()).isEqualTo(result.attack().allowed());
                            assertThat(round.serverErrors()).isZero();
                        });
            }
        }
        assertThat(report.guardedHeld()).isTrue();
    }
}
