package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class DialectTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(DialectTest.class);

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRecognizeEachDatabaseFromItsMetadata(DatabaseKind kind) throws Exception {
        try (Connection connection = DATABASES.get(kind).connect()) {
            assertThat(Dialect.of(connection)).isEqualTo(Dialect.valueOf(kind.name()));
        }
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> Dialect.of(null)).isInstanceOf(NullPointerException.class);
    }
}
