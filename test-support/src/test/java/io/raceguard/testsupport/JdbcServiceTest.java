package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class JdbcServiceTest {

    @Test
    void shouldLiftDecodedCredentialsOutOfTheUrlAndKeepTheRest() {
        JdbcService service = JdbcService.fromUrl(
                "jdbc:postgresql://db.example:5433/app?ssl=false&user=al%40ice&password=p%26ss%3Dw&ApplicationName=x",
                "RACEGUARD_POSTGRES_URL");

        assertThat(service).isEqualTo(new JdbcService(
                "jdbc:postgresql://db.example:5433/app?ssl=false&ApplicationName=x", "al@ice", "p&ss=w",
                "RACEGUARD_POSTGRES_URL"));
    }

    @Test
    void shouldLeaveMissingCredentialsToTheDriver() {
        JdbcService service = JdbcService.fromUrl("jdbc:mariadb://127.0.0.1:3306/test", "test");

        assertThat(service.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/test");
        assertThat(service.user()).isNull();
        assertThat(service.password()).isNull();
    }

    @Test
    void shouldRefuseCredentialsInsideTheUrlItHolds() {
        assertThatThrownBy(() -> new JdbcService("jdbc:postgresql://h/db?password=secret", "u", null, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromUrl")
                .hasMessageNotContaining("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:mysql://h:3306/db",
        "jdbc:h2:mem:test",
        "jdbc:postgresql:test",
        "jdbc:postgresql://a:5432,b:5432/db",
        "jdbc:mariadb:replication://a,b/db",
        "postgresql://h/db",
        "jdbc:postgresql://u:secret@h/db?password=secret"
    })
    void shouldRejectUrlsItCannotIsolateWithoutRepeatingSecrets(String url) {
        assertThatThrownBy(() -> JdbcService.fromUrl(url, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://host:port/database")
                .hasMessageNotContaining("secret");
    }

    @Test
    void shouldRejectMissingArguments() {
        assertThatNullPointerException().isThrownBy(() -> JdbcService.fromUrl(null, "s")).withMessage("url");
        assertThatNullPointerException().isThrownBy(() -> new JdbcService(null, "u", "p", "s")).withMessage("jdbcUrl");
        assertThatNullPointerException()
                .isThrownBy(() -> new JdbcService("jdbc:postgresql://h/db", "u", "p", null))
                .withMessage("source");
    }

    @Test
    void shouldMaskThePasswordWhenPrinted() {
        JdbcService service = new JdbcService("jdbc:postgresql://h/db", "app", "secret", "test");

        assertThat(service.toString()).contains("app", "***").doesNotContain("secret");
    }

    @Test
    void shouldPointPostgreSqlConnectionsAtTheSchemaReplacingAnyEarlierOne() {
        JdbcUrl base = JdbcUrl.parse("jdbc:postgresql://h:5432/test?currentSchema=other&ssl=false");

        assertThat(Dialect.POSTGRESQL.isolatedUrl(base, "rg_x").format())
                .isEqualTo("jdbc:postgresql://h:5432/test?currentSchema=rg_x&ssl=false");
    }

    @Test
    void shouldPointMariaDbConnectionsAtTheDatabase() {
        assertThat(Dialect.MARIADB.isolatedUrl(JdbcUrl.parse("jdbc:mariadb://h:3306/test?a=1"), "rg_x").format())
                .isEqualTo("jdbc:mariadb://h:3306/rg_x?a=1");
        assertThat(Dialect.MARIADB.isolatedUrl(JdbcUrl.parse("jdbc:mariadb://h:3306"), "rg_x").format())
                .isEqualTo("jdbc:mariadb://h:3306/rg_x");
    }

    @Test
    void shouldRedactUserInformationAndQueries() {
        assertThat(RedactedUrl.of("redis://user:secret@h:6379/0?x=secret")).isEqualTo("redis://***@h:6379/0?...");
        assertThat(RedactedUrl.of("h:1@secret")).isEqualTo("***@secret");
        assertThat(RedactedUrl.of("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
