package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import redis.clients.jedis.Jedis;

final class ServiceResolverTest {

    private static final BooleanSupplier DOCKER_MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("the Docker engine must not be probed");
    };
    private static final LocalProbe LOOPBACK_MUST_NOT_BE_PROBED = kind -> {
        throw new AssertionError("loopback must not be probed");
    };
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final LocalProbe NOTHING_ON_LOOPBACK = kind -> false;

    /** Builds the service as its URL and source, so the decision alone is under test. */
    private static final ServiceFactory<String> ECHO = new ServiceFactory<>(
            (url, source) -> url + " from " + source, () -> "container");

    static Stream<Arguments> jdbcServers() {
        return Stream.of(
                Arguments.of(ServiceKind.POSTGRES, (Supplier<JdbcService>) TestServices::postgres,
                        ServiceFactory.postgres()),
                Arguments.of(ServiceKind.MARIADB, (Supplier<JdbcService>) TestServices::mariadb,
                        ServiceFactory.mariadb()));
    }

    @ParameterizedTest
    @MethodSource("jdbcServers")
    void shouldUseTheServerTheVariableNamesWithItsCredentials(
            ServiceKind kind, Supplier<JdbcService> realServer, ServiceFactory<JdbcService> factory)
            throws SQLException {
        JdbcService real = realServer.get();
        String url = withCredentials(real);
        ServiceResolver resolver =
                new ServiceResolver(Map.of(kind.variable(), url), DOCKER_MUST_NOT_BE_ASKED,
                        LOOPBACK_MUST_NOT_BE_PROBED);

        JdbcService found = resolver.resolve(kind, factory).service();

        assertThat(found.source()).isEqualTo(kind.variable());
        assertThat(found.jdbcUrl()).isEqualTo(real.jdbcUrl());
        assertThat(found.user()).isEqualTo(real.user());
        assertThat(found.password()).isEqualTo(real.password());
        assertThat(selectOne(found)).isEqualTo(1);
    }

    @Test
    void shouldUseTheRedisTheVariableNames() {
        RedisService real = TestServices.redis();
        ServiceResolver resolver = new ServiceResolver(
                Map.of("RACEGUARD_REDIS_URL", real.uri()), DOCKER_MUST_NOT_BE_ASKED, LOOPBACK_MUST_NOT_BE_PROBED);

        RedisService found = resolver.resolve(ServiceKind.REDIS, ServiceFactory.redis()).service();

        assertThat(found).isEqualTo(new RedisService(real.host(), real.port(), "RACEGUARD_REDIS_URL"));
        try (Jedis jedis = found.connect()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldStartAContainerWhenNoVariableIsSetAndADockerEngineAnswers(ServiceKind kind) {
        AtomicInteger started = new AtomicInteger();
        ServiceFactory<String> factory = new ServiceFactory<>(
                (url, source) -> "url", () -> "container " + started.incrementAndGet());
        ServiceResolver resolver = new ServiceResolver(Map.of(), () -> true, LOOPBACK_MUST_NOT_BE_PROBED);

        Resolution<String> resolution = resolver.resolve(kind, factory);

        assertThat(resolution.service()).isEqualTo("container 1");
        assertThat(resolution.service()).isEqualTo("container 1");
        assertThat(resolution.describe()).contains("Testcontainers");
        assertThat(started).hasValue(1);
    }

    @ParameterizedTest
    @MethodSource("jdbcServers")
    void shouldUseTheStandardPortOnLoopbackWhenNothingElseIsThere(
            ServiceKind kind, Supplier<JdbcService> realServer, ServiceFactory<JdbcService> factory)
            throws SQLException {
        LoopbackProbe probe = new LoopbackProbe();
        assumeTrue(probe.answers(kind), kind.displayName() + " does not run on its standard port on this machine");
        ServiceResolver resolver = new ServiceResolver(Map.of(), NO_DOCKER, probe);

        JdbcService found = resolver.resolve(kind, factory).service();

        assertThat(found.source()).isEqualTo("localhost:" + kind.standardPort());
        assertThat(found.jdbcUrl())
                .startsWith(kind.standardLoopbackUrl().substring(0, kind.standardLoopbackUrl().indexOf('?')));
        assertThat(selectOne(found)).isEqualTo(1);
    }

    @Test
    void shouldUseRedisOnItsStandardPortOnLoopbackWhenNothingElseIsThere() {
        LoopbackProbe probe = new LoopbackProbe();
        assumeTrue(probe.answers(ServiceKind.REDIS), "Redis does not run on 127.0.0.1:6379 on this machine");
        ServiceResolver resolver = new ServiceResolver(Map.of(), NO_DOCKER, probe);

        RedisService found = resolver.resolve(ServiceKind.REDIS, ServiceFactory.redis()).service();

        assertThat(found).isEqualTo(new RedisService("127.0.0.1", 6379, "localhost:6379"));
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldSkipNamingTheVariableWhenNothingAnswers(ServiceKind kind) {
        ServiceResolver resolver = new ServiceResolver(Map.of(), NO_DOCKER, NOTHING_ON_LOOPBACK);

        Resolution<String> resolution = resolver.resolve(kind, ECHO);

        assertThatThrownBy(resolution::service)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(kind.variable())
                .hasMessageContaining(kind.standardLoopbackUrl());
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldFailNamingTheVariableWhenServicesAreRequiredAndNothingAnswers(ServiceKind kind) {
        ServiceResolver resolver = new ServiceResolver(
                Map.of(ServiceResolver.REQUIRE_VARIABLE, "true"), NO_DOCKER, NOTHING_ON_LOOPBACK);

        Resolution<String> resolution = resolver.resolve(kind, ECHO);

        assertThatThrownBy(resolution::service)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining(kind.variable())
                .hasMessageContaining("RACEGUARD_REQUIRE_SERVICES=true");
    }

    @Test
    void shouldOnlySkipWhenTheRequirementIsNotExactlyTrue() {
        ServiceResolver resolver = new ServiceResolver(
                Map.of(ServiceResolver.REQUIRE_VARIABLE, "yes"), NO_DOCKER, NOTHING_ON_LOOPBACK);

        assertThatThrownBy(resolver.resolve(ServiceKind.REDIS, ECHO)::service).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void shouldThrowAFreshExceptionEachTimeAMissingServiceIsAskedFor() {
        Resolution<String> resolution =
                new ServiceResolver(Map.of(), NO_DOCKER, NOTHING_ON_LOOPBACK).resolve(ServiceKind.POSTGRES, ECHO);

        Throwable first = catchThrowable(resolution);
        Throwable second = catchThrowable(resolution);

        assertThat(first).isInstanceOf(TestAbortedException.class).isNotSameAs(second);
    }

    @Test
    void shouldTreatABlankVariableAsUnset() {
        ServiceResolver resolver = new ServiceResolver(
                Map.of("RACEGUARD_POSTGRES_URL", "  "), NO_DOCKER, kind -> true);

        assertThat(resolver.resolve(ServiceKind.POSTGRES, ECHO).service())
                .isEqualTo(ServiceKind.POSTGRES.standardLoopbackUrl() + " from localhost:5432");
    }

    @Test
    void shouldOnlyReadTheVariableOfTheKindAskedFor() {
        ServiceResolver resolver = new ServiceResolver(
                Map.of("RACEGUARD_MARIADB_URL", "jdbc:mariadb://db:3306/x"), NO_DOCKER, NOTHING_ON_LOOPBACK);

        assertThatThrownBy(resolver.resolve(ServiceKind.POSTGRES, ECHO)::service)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("RACEGUARD_POSTGRES_URL");
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void shouldFailRatherThanSkipWhenTheVariableIsMalformed(ServiceKind kind) {
        ServiceResolver resolver = new ServiceResolver(
                Map.of(kind.variable(), "mysql://u:secret@db/x"), DOCKER_MUST_NOT_BE_ASKED,
                        LOOPBACK_MUST_NOT_BE_PROBED);
        ServiceFactory<?> factory = switch (kind) {
            case POSTGRES -> ServiceFactory.postgres();
            case MARIADB -> ServiceFactory.mariadb();
            case REDIS -> ServiceFactory.redis();
        };

        Resolution<?> resolution = resolver.resolve(kind, factory);

        assertThatThrownBy(resolution::service)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(kind.variable())
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(failure -> assertThat(failure.getCause().getMessage()).doesNotContain("secret"));
    }

    @Test
    void shouldFailRatherThanFallBackWhenTheContainerDoesNotStart() {
        ServiceFactory<String> factory = new ServiceFactory<>((url, source) -> url, () -> {
            throw new IllegalStateException("image pull failed");
        });
        ServiceResolver resolver = new ServiceResolver(Map.of(), () -> true, LOOPBACK_MUST_NOT_BE_PROBED);

        assertThatThrownBy(resolver.resolve(ServiceKind.REDIS, factory)::service)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RACEGUARD_REDIS_URL")
                .hasRootCauseMessage("image pull failed");
    }

    private static Throwable catchThrowable(Resolution<?> resolution) {
        try {
            resolution.service();
        } catch (TestAbortedException e) {
            return e;
        }
        throw new AssertionError("expected the test to be aborted");
    }

    private static String withCredentials(JdbcService service) {
        String separator = service.jdbcUrl().contains("?") ? "&" : "?";
        String url = service.jdbcUrl() + separator + "user="
                + URLEncoder.encode(service.user(), StandardCharsets.UTF_8);
        return service.password() == null ? url
                : url + "&password=" + URLEncoder.encode(service.password(), StandardCharsets.UTF_8);
    }

    private static int selectOne(JdbcService service) throws SQLException {
        try (Connection connection = service.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
            return result.getInt(1);
        }
    }
}
