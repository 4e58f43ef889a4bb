package io.raceguard.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.Statuses;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import io.raceguard.web.IdempotencyFilter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The guide's six scenarios, hammered over HTTP at the annotated endpoints of {@link ShopApplication}
 * on embedded Tomcat: 20 requests released together per round, a fresh coupon, account, email, item,
 * user or key each round. Each backend's test class runs them all.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ShopScenarios {

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(50);

    /** Leaves the application without a DataSource, as one that has no database would be. */
    static final String NO_DATA_SOURCE =
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    /** The login limit per user and minute, as {@link ShopController} declares it. */
    static final int LOGIN_LIMIT = 5;

    @LocalServerPort
    int port;

    @Autowired
    NaiveShop shop;

    @Autowired
    ShopController controller;

    @Test
    void shouldRedeemACouponOnce(Hammer hammer) {
        onlyOneWins(hammer, round -> "/guarded/coupons/" + round + "/redeem", Map.of());
    }

    @Test
    void shouldNeverOverdrawAnAccount(Hammer hammer) {
        transferAtOnce(hammer, "guarded");
    }

    @Test
    void shouldSignUpAnEmailOnce(Hammer hammer) {
        onlyOneWins(hammer, round -> "/guarded/users", Map.of("email", "email"));
    }

    @Test
    void shouldSellTheLastItemOnce(Hammer hammer) {
        onlyOneWins(hammer, round -> "/guarded/items/" + round + "/buy", Map.of());
    }

    @Test
    void shouldLetExactlyTheLoginLimitThrough(Hammer hammer) {
        loginAtOnce(hammer, "guarded");
    }

    @Test
    void shouldChargeOncePerIdempotencyKey(Hammer hammer) {
        chargeAtOnce(hammer, "guarded");
    }

    HttpRace shop() {
        return HttpRace.to(URI.create("http://127.0.0.1:" + port));
    }

    /**
     * Twenty copies of one request; exactly one may go through.
     *
     * @param path the target for the round's fresh name
     * @param form form fields whose value names the field to fill with the round's fresh name
     */
    HammerReport<RaceResponse> onlyOneWins(Hammer hammer, java.util.function.UnaryOperator<String> path,
            Map<String, String> form) {
        AtomicReference<String> round = new AtomicReference<>();
        return hammer.http(shop())
                .beforeEachRound(() -> round.set(UUID.randomUUID().toString()))
                .request(i -> {
                    RaceRequest request = RaceRequest.post(path.apply(round.get()));
                    return form.isEmpty() ? request.form(Map.of("n", Integer.toString(i)))
                            : request.form(Map.of(form.keySet().iterator().next(), round.get() + "@example.com"));
                })
                .expect(Invariant.exactly(1, "went through", Statuses.is(201)),
                        Invariant.none("server errors", Statuses.isServerError()));
    }

    HammerReport<RaceResponse> transferAtOnce(Hammer hammer, String mode) {
        AtomicReference<String> account = new AtomicReference<>();
        long amount = 10;
        return hammer.http(shop())
                .beforeEachRound(() -> account.set(UUID.randomUUID().toString()))
                .request(i -> RaceRequest.post("/" + mode + "/transfers").form(Map.of(
                        "from", account.get(), "to", account.get() + "-savings", "amount", Long.toString(amount))))
                .expect(Invariant.exactly((int) (NaiveShop.OPENING_BALANCE / amount), "transfers",
                                Statuses.is(201)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Invariant.that("no money made or lost", answers -> assertThat(
                                shop.balance(account.get()) + shop.balance(account.get() + "-savings"))
                                .isEqualTo(2 * NaiveShop.OPENING_BALANCE)));
    }

    HammerReport<RaceResponse> loginAtOnce(Hammer hammer, String mode) {
        AtomicReference<String> user = new AtomicReference<>();
        return hammer.http(shop())
                .beforeEachRound(() -> user.set(UUID.randomUUID().toString()))
                .request(i -> RaceRequest.post("/" + mode + "/login").form(Map.of("username", user.get())))
                .expect(Invariant.exactly(LOGIN_LIMIT, "logins let through", Statuses.is(200)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Invariant.that("every refusal says when to retry", round -> {
                            for (RaceResponse answer : round.values()) {
                                if (answer.status() == 429) {
                                    assertThat(answer.header("Retry-After")).isPresent();
                                    assertThat(answer.header("RateLimit")).isPresent();
                                }
                            }
                        }));
    }

    HammerReport<RaceResponse> chargeAtOnce(Hammer hammer, String mode) {
        AtomicReference<String> key = new AtomicReference<>();
        AtomicInteger chargesBefore = new AtomicInteger();
        return hammer.http(shop())
                .beforeEachRound(() -> {
                    key.set(UUID.randomUUID().toString());
                    chargesBefore.set(controller.charges(mode));
                })
                .request(i -> RaceRequest.post("/" + mode + "/charges")
                        .header(ShopApplication.CUSTOMER_HEADER, "customer-7")
                        .header(IdempotencyFilter.KEY_HEADER, key.get())
                        .json("{\"amount\":100}"))
                .expect(Invariant.that("the charge ran once", round ->
                                assertThat(controller.charges(mode) - chargesBefore.get()).isEqualTo(1)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Invariant.that("every copy gets 409 or the first answer", round -> {
                            List<RaceResponse> answers = round.values();
                            RaceResponse first = answers.stream()
                                    .filter(answer -> answer.status() == 201
                                            && answer.header(IdempotencyFilter.REPLAYED_HEADER).isEmpty())
                                    .findFirst().orElseThrow();
                            for (RaceResponse answer : answers) {
                                if (answer.status() != 409) {
                                    assertThat(answer.status()).isEqualTo(201);
                                    assertThat(answer.body()).isEqualTo(first.body());
                                    assertThat(answer.header("Content-Type")).isEqualTo(first.header("Content-Type"));
                                }
                            }
                        }));
    }
}
