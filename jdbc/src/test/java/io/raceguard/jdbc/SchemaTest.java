package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

final class SchemaTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(SchemaTest.class);

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCreateEveryTableUnderTheDefaultNamesAndChangeNothingTheSecondTime(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.get(kind).jdbi();
        try {
            Schema.defaults().create(jdbi);
            insertOneRowEach(jdbi, TableNames.defaults());

            Schema.defaults().create(jdbi);

            assertThat(countRows(jdbi, TableNames.defaults())).as("rows survive a second create").containsOnly(1L);
        } finally {
            Schema.defaults().drop(jdbi);
        }
        assertThat(tableExists(jdbi, TableNames.DEFAULT_COUNTERS)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCreateTheTablesUnderCustomSchemaQualifiedNames(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.get(kind).jdbi();
        String schema = jdbi.withHandle(handle -> handle.createQuery(currentSchemaQuery(kind)).mapTo(String.class)
                .one());
        TableNames names = new TableNames("Custom_Locks", "custom_fence", "custom_counters", "custom_limits",
                "custom_idem")
                .inSchema(schema);
        Schema custom = Schema.builder().tableNames(names).dialect(Dialect.valueOf(kind.name())).build();
        try {
            custom.create(jdbi);
            custom.create(jdbi);
            insertOneRowEach(jdbi, names);

            assertThat(countRows(jdbi, names)).containsOnly(1L);
            assertThat(tableExists(jdbi, TableNames.DEFAULT_COUNTERS)).as("no default-named table").isFalse();
            assertThat(tableExists(jdbi, "custom_limits")).isTrue();
        } finally {
            custom.drop(jdbi);
        }
        assertThat(tableExists(jdbi, "custom_limits")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldRunExactlyTheShippedResourceWhenTheNamesAreTheDefaults(Dialect dialect) throws Exception {
        String resource;
        try (var in = Schema.class.getClassLoader().getResourceAsStream(Schema.resource(dialect))) {
            assertThat(in).as(Schema.resource(dialect)).isNotNull();
            resource = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> statements = Schema.defaults().createStatements(dialect);

        assertThat(statements).hasSize(7);
        assertThat(String.join("\n", statements).replaceAll("[\"`]", "").toLowerCase(Locale.ROOT))
                .contains("create table if not exists raceguard_idempotency")
                .contains("create sequence if not exists raceguard_lock_fence");
        assertThat(resource).contains("CREATE TABLE IF NOT EXISTS raceguard_counters");
    }

    @ParameterizedTest
    @MethodSource("io.raceguard.jdbc.HostileIdentifiers#all")
    void shouldRejectAnInjectedOrMalformedTableNameBeforeAnyIo(String name) {
        assertThatThrownBy(() -> TableNames.defaults().withCounters(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counters");
        assertThatThrownBy(() -> TableNames.defaults().inSchema(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectTwoObjectsUnderOneName() {
        assertThatThrownBy(() -> TableNames.defaults().withCounters("RACEGUARD_LOCKS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counters and locks");
    }

    @Test
    void shouldRejectAnIndexedTableWhoseIndexNameWouldBeTooLong() {
        String longest = "t".repeat(TableNames.MAX_INDEXED_TABLE_LENGTH);

        assertThat(TableNames.defaults().withIdempotency("app." + longest).idempotency()).endsWith(longest);
        assertThatThrownBy(() -> TableNames.defaults().withIdempotency(longest + "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotency must be at most " + TableNames.MAX_INDEXED_TABLE_LENGTH);
    }

    @Test
    void shouldLetEachBuilderOptionBeSetOnlyOnce() {
        assertThatThrownBy(() -> Schema.builder().dialect(Dialect.H2).dialect(Dialect.POSTGRESQL))
                .isInstanceOf(IllegalStateException.class).hasMessage("dialect was already set to H2");
        assertThatThrownBy(() -> Schema.builder().tableNames(TableNames.defaults()).tableNames(TableNames.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("tableNames was already set to");
        assertThat(Schema.builder().build().tableNames()).isEqualTo(TableNames.defaults());
    }

    @Test
    void shouldQualifyOnlyUnqualifiedNamesInASchema() {
        TableNames names = TableNames.defaults().withCounters("other.counters").inSchema("app");

        assertThat(names.counters()).isEqualTo("other.counters");
        assertThat(names.locks()).isEqualTo("app.raceguard_locks");
        assertThat(names.lockFence()).isEqualTo("app.raceguard_lock_fence");
    }

    private static String currentSchemaQuery(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> "SELECT current_schema()";
            case MARIADB -> "SELECT DATABASE()";
            case H2 -> "SELECT CURRENT_SCHEMA";
        };
    }

    private static void insertOneRowEach(Jdbi jdbi, TableNames names) {
        jdbi.useHandle(handle -> {
            Dialect dialect = Dialect.of(handle.getConnection());
            String now = switch (dialect) {
                case POSTGRESQL -> "now()";
                case MARIADB -> "UTC_TIMESTAMP(6)";
                case H2 -> "CURRENT_TIMESTAMP";
            };
            byte[] hash = new byte[32];
            insert(handle, "INSERT INTO " + names.locksTable().quoted(dialect)
                    + " (key_hash, lock_key, owner, expires_at) VALUES (:hash, 'k', 'o', " + now + ")", hash);
            insert(handle, "INSERT INTO " + names.countersTable().quoted(dialect)
                    + " (key_hash, counter_key, level) VALUES (:hash, 'k', 0)", hash);
            insert(handle, "INSERT INTO " + names.rateLimitsTable().quoted(dialect)
                    + " (key_hash, limit_key, policy, expires_at_ms) VALUES (:hash, 'k', 'p', 0)", hash);
            insert(handle, "INSERT INTO " + names.idempotencyTable().quoted(dialect)
                    + " (key_hash, scope, idem_key, status, owner, fingerprint, lease_micros, lease_expires_at,"
                    + " expires_at)"
                    + " VALUES (:hash, 's', 'k', 'IN_PROGRESS', 'o', :hash, 1, " + now + ", " + now + ")", hash);
            String nextFence = switch (dialect) {
                case POSTGRESQL -> "SELECT nextval('" + names.lockFenceSequence().quoted(dialect) + "')";
                case MARIADB -> "SELECT NEXTVAL(" + names.lockFenceSequence().quoted(dialect) + ")";
                case H2 -> "SELECT NEXT VALUE FOR " + names.lockFenceSequence().quoted(dialect);
            };
            assertThat(handle.createQuery(nextFence).mapTo(Long.class).one()).isEqualTo(1L);
        });
    }

    private static void insert(Handle handle, String sql, byte[] hash) {
        handle.createUpdate(sql).bind("hash", hash).execute();
    }

    private static List<Long> countRows(Jdbi jdbi, TableNames names) {
        return jdbi.withHandle(handle -> {
            Dialect dialect = Dialect.of(handle.getConnection());
            return names.tables().stream()
                    .map(table -> handle.createQuery("SELECT COUNT(*) FROM " + table.quoted(dialect)).mapTo(Long.class)
                            .one())
                    .toList();
        });
    }

    private static boolean tableExists(Jdbi jdbi, String table) {
        return jdbi.withHandle(handle -> {
            Dialect dialect = Dialect.of(handle.getConnection());
            String name = dialect == Dialect.H2 ? table.toUpperCase(Locale.ROOT) : table.toLowerCase(Locale.ROOT);
            String schema = switch (dialect) {
                case POSTGRESQL -> "current_schema()";
                case MARIADB -> "DATABASE()";
                case H2 -> "CURRENT_SCHEMA";
            };
            return handle.createQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = " + schema
                            + " AND LOWER(table_name) = LOWER(:name)")
                    .bind("name", name)
                    .mapTo(Long.class)
                    .one() > 0;
        });
    }
}
