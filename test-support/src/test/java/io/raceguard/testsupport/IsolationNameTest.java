package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class IsolationNameTest {

    private static final String VALID = "[a-z_][a-z0-9_]{0,62}";

    @Test
    void shouldNameAfterTheClassWithARandomSuffix() {
        assertThat(IsolationName.forClass(IsolationNameTest.class)).matches("rg_isolationnametest_[0-9a-f]{8}");
    }

    @Test
    void shouldNeverRepeatAName() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            names.add(IsolationName.forClass(IsolationNameTest.class));
        }
        assertThat(names).hasSize(1_000);
    }

    @Test
    void shouldFoldNamesThatAreNotIdentifiersIntoOnes() {
        Object anonymous = new Object() {};
        class Ünïcödé {}

        assertThat(IsolationName.forClass(anonymous.getClass())).matches("rg_anonymous_[0-9a-f]{8}");
        assertThat(IsolationName.forClass(Ünïcödé.class)).matches("rg__n_c_d__[0-9a-f]{8}");
        assertThat(IsolationName.forClass(Nested.class)).matches("rg_nested_[0-9a-f]{8}");
        assertThat(IsolationName.forClass(int[].class)).matches("rg_int___[0-9a-f]{8}");
    }

    @Test
    void shouldCutLongClassNamesToTheIdentifierLimit() {
        String name = IsolationName.forClass(
                AClassWhoseNameIsFarTooLongToBeUsedWholeAsASchemaNameInPostgreSqlOrMariaDbTest.class);

        assertThat(name).hasSize(IsolationName.MAX_IDENTIFIER_LENGTH).matches(VALID)
                .startsWith("rg_aclasswhosenameisfartoolong");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rg_test_1", "_x", "A", "Mixed_Case_9"})
    void shouldAcceptIdentifiers(String identifier) {
        assertThat(IsolationName.requireIdentifier(identifier, "name")).isSameAs(identifier);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1abc", "a-b", "a b", "x;DROP SCHEMA public", "\"quoted\"", "a`b", "ä", "a.b"})
    void shouldRejectAnythingElseBeforeItReachesSql(String notAnIdentifier) {
        assertThatThrownBy(() -> IsolationName.requireIdentifier(notAnIdentifier, "schema"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema must match [A-Za-z_][A-Za-z0-9_]*");
    }

    @Test
    void shouldRejectIdentifiersLongerThanTheServersAllow() {
        String tooLong = "a".repeat(IsolationName.MAX_IDENTIFIER_LENGTH + 1);

        assertThatThrownBy(() -> IsolationName.requireIdentifier(tooLong, "schema"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 63");
    }

    @Test
    void shouldRejectNull() {
        assertThatNullPointerException().isThrownBy(() -> IsolationName.requireIdentifier(null, "schema"))
                .withMessage("schema");
        assertThatNullPointerException().isThrownBy(() -> IsolationName.forClass(null)).withMessage("testClass");
    }

    private static final class Nested {}

    private static final class AClassWhoseNameIsFarTooLongToBeUsedWholeAsASchemaNameInPostgreSqlOrMariaDbTest {}
}
