package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class SqlIdentifierTest {

    @Test
    void shouldQuoteAndFoldPerDialect() {
        SqlIdentifier table = SqlIdentifier.of("Bank.Accounts_2");

        assertThat(table.quoted(Dialect.POSTGRESQL)).isEqualTo("\"bank\".\"accounts_2\"");
        assertThat(table.quoted(Dialect.H2)).isEqualTo("\"BANK\".\"ACCOUNTS_2\"");
        assertThat(table.quoted(Dialect.MARIADB)).isEqualTo("`Bank`.`Accounts_2`");
        assertThat(table).hasToString("Bank.Accounts_2");
    }

    @Test
    void shouldAcceptAReservedWordBecauseItIsQuoted() {
        assertThat(SqlIdentifier.column("order").quoted(Dialect.POSTGRESQL)).isEqualTo("\"order\"");
    }

    @Test
    void shouldAcceptTheLongestPart() {
        String longest = "a".repeat(SqlIdentifier.MAX_PART_LENGTH);

        assertThat(SqlIdentifier.of(longest + "." + longest)).hasToString(longest + "." + longest);
    }

    @ParameterizedTest
    @MethodSource("io.raceguard.jdbc.HostileIdentifiers#all")
    void shouldRejectAnythingButPlainNamesBeforeAnyIo(String identifier) {
        assertThatThrownBy(() -> SqlIdentifier.of(identifier))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A-Za-z_][A-Za-z0-9_]*");
    }

    @Test
    void shouldRejectAPartOverTheLengthLimit() {
        assertThatThrownBy(() -> SqlIdentifier.of("a".repeat(SqlIdentifier.MAX_PART_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAQualifiedColumn() {
        assertThatThrownBy(() -> SqlIdentifier.column("accounts.balance")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> SqlIdentifier.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SqlIdentifier.column(null)).isInstanceOf(NullPointerException.class);
    }
}
