package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hammer against check-then-act on real tables, on H2 and on PostgreSQL: each naive version (read,
 * pause, write) is caught within the round budget with the right label, and the guarded version, one
 * conditional statement or a unique constraint, holds every round.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
final class JdbcRaceTest {

    private static final long PAUSE_MILLIS = 20;
    private static final Map<Database, Database.Opened> OPENED = new EnumMap<>(Database.class);

    @AfterAll
    static void dropDatabases() throws Exception {
        for (Database.Opened opened : OPENED.values()) {
            opened.drop().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldCatchANaiveWithdrawalOverdrawing(Database database) {
        DataSource dataSource = open(database);

        HammerReport<Observed<Long>> report = hammer(database)
                .beforeEachRound(() -> resetAlice(dataSource))
                .fire(() -> naiveWithdraw(dataSource))
                .check(alicesBalance(dataSource).staysWithin(0, 100),
                        Invariant.atMost(3, "withdrawals", Observed::hasWritten));

        assertThat(report.failed()).as(report.toString()).isTrue();
        assertThat(report.failedRounds().get(0).violations()).as(report.toString())
                .contains(Violation.of(Anomaly.LIMIT_OVERRUN, "sum of balance in accounts where id = alice is "
                        + (100 - 30 * report.failedRounds().get(0).round().count(Observed::hasWritten))
                        + " (expected within [0, 100])"))
                .anyMatch(violation -> violation.anomaly().equals(Optional.of(Anomaly.LOST_UPDATE)));
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldFindAConditionalWithdrawalNeverOverdrawing(Database database) {
        DataSource dataSource = open(database);

        HammerReport<Boolean> report = hammer(database)
                .beforeEachRound(() -> resetAlice(dataSource))
                .fire(() -> update(dataSource,
                        "UPDATE accounts SET balance = balance - 30 WHERE id = ? AND balance >= 30",
                        "alice") == 1)
                .expect(alicesBalance(dataSource).isEqualTo(10),
                        Invariant.exactly(3, "withdrawals", Boolean::booleanValue));

        assertThat(report.rounds()).hasSize(report.plannedRounds());
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldCatchANaiveSignUpAddingTheSameEmailTwice(Database database) {
        DataSource dataSource = open(database);

        HammerReport<Observed<Long>> report = naiveSignUps(database,
                Table.of(dataSource, "signups").hasNoDuplicateRows("email"));

        assertThat(report.failed()).as(report.toString()).isTrue();
        List<Violation> violations = report.failedRounds().get(0).violations();
        assertThat(violations).extracting(violation -> violation.anomaly().orElseThrow()).as(report.toString())
                .containsExactly(Anomaly.DUPLICATE, Anomaly.LOST_UPDATE);
        assertThat(violations.get(0).message()).matches(
                "1 key repeated in signups by \\(email\\): \\(alice@example.com\\) x\\d+ \\(expected none\\)");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldCountTheRowsOfANaiveSignUpAndHeadlineTheDuplicate(Database database) {
        DataSource dataSource = open(database);

        HammerReport<Observed<Long>> report = naiveSignUps(database,
                Table.of(dataSource, "signups").where("email", "alice@example.com").rowCount().isAtMost(1));

        assertThat(report.failed()).as(report.toString()).isTrue();
        CheckedRound<Observed<Long>> failed = report.failedRounds().get(0);
        assertThat(report.verdict()).startsWith("round " + failed.round().number() + " of " + report.plannedRounds()
                + " failed: duplicate: " + failed.round().count(Observed::hasWritten)
                + " rows in signups where email = alice@example.com (expected at most 1) (+1 more); ");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldFindAUniqueConstraintKeepingOneSignUp(Database database) {
        DataSource dataSource = open(database);

        hammer(database)
                .beforeEachRound(() -> Database.execute(dataSource, "DELETE FROM unique_signups"))
                .fire(worker -> insertUnlessDuplicate(dataSource, "alice@example.com", "worker " + worker))
                .expect(Table.of(dataSource, "unique_signups").where("email", "alice@example.com")
                                .hasNoDuplicateRows("email"),
                        Table.of(dataSource, "unique_signups").rowCount().isExactly(1),
                        Invariant.exactly(1, "signed up", Boolean::booleanValue));
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldCatchANaiveTransferMakingMoney(Database database) {
        DataSource dataSource = open(database);

        HammerReport<Boolean> report = hammer(database)
                .beforeEachRound(() -> resetAliceAndBob(dataSource))
                .fire(() -> naiveTransfer(dataSource))
                .check(Table.of(dataSource, "accounts").sumOf("balance").isConserved());

        assertThat(report.failed()).as(report.toString()).isTrue();
        assertThat(report.failedRounds().get(0).violations()).singleElement().asString()
                .matches("sum of balance in accounts 200 before the round, \\d+ after \\(expected conserved\\)");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void shouldFindATransferInOneTransactionConservingMoney(Database database) {
        DataSource dataSource = open(database);

        hammer(database)
                .beforeEachRound(() -> resetAliceAndBob(dataSource))
                .fire(() -> transfer(dataSource))
                .expect(Table.of(dataSource, "accounts").sumOf("balance").isConserved(),
                        alicesBalance(dataSource).staysWithin(0, 100));
    }

    private static Hammer hammer(Database database) {
        // PostgreSQL is shared with other tests: fewer connections, and less effort spent shrinking.
        return database == Database.POSTGRESQL
                ? Hammer.create().times(8).rounds(15).shrinking(3)
                : Hammer.create().times(16).rounds(20).shrinking(5);
    }

    private static HammerReport<Observed<Long>> naiveSignUps(Database database, Invariant<Object> invariant) {
        DataSource dataSource = open(database);
        return hammer(database)
                .beforeEachRound(() -> Database.execute(dataSource, "DELETE FROM signups"))
                .fire(worker -> naiveSignUp(dataSource, "alice@example.com", "worker " + worker))
                .check(invariant);
    }

    private static ColumnSum alicesBalance(DataSource dataSource) {
        return Table.of(dataSource, "accounts").where("id", "alice").sumOf("balance");
    }

    private static synchronized DataSource open(Database database) {
        return OPENED.computeIfAbsent(database, kind -> {
            Database.Opened opened = kind.open(JdbcRaceTest.class);
            Database.execute(opened.dataSource(),
                    "CREATE TABLE accounts (id VARCHAR(20) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "CREATE TABLE signups (email VARCHAR(100) NOT NULL, name VARCHAR(100) NOT NULL)",
                    "CREATE TABLE unique_signups (email VARCHAR(100) PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            return opened;
        }).dataSource();
    }

    private static void resetAlice(DataSource dataSource) {
        Database.execute(dataSource, "DELETE FROM accounts", "INSERT INTO accounts VALUES ('alice', 100)");
    }

    private static void resetAliceAndBob(DataSource dataSource) {
        Database.execute(dataSource, "DELETE FROM accounts", "INSERT INTO accounts VALUES ('alice', 100)",
                "INSERT INTO accounts VALUES ('bob', 100)");
    }

    /** Check-then-act: read the balance, decide, then debit. */
    private static Observed<Long> naiveWithdraw(DataSource dataSource) throws SQLException, InterruptedException {
        long balance = balance(dataSource, "alice");
        if (balance < 30) {
            return Observed.readOnly(balance);
        }
        Thread.sleep(PAUSE_MILLIS);
        update(dataSource, "UPDATE accounts SET balance = balance - 30 WHERE id = ?", "alice");
        return Observed.readWrote(balance, balance - 30);
    }

    /** Check-then-act: count the sign-ups of the email, and if there are none, insert one. */
    private static Observed<Long> naiveSignUp(DataSource dataSource, String email, String name)
            throws SQLException, InterruptedException {
        long found;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement("SELECT COUNT(*) FROM signups WHERE email = ?")) {
            find.setString(1, email);
            try (ResultSet rows = find.executeQuery()) {
                rows.next();
                found = rows.getLong(1);
            }
        }
        if (found > 0) {
            return Observed.readOnly(found);
        }
        Thread.sleep(PAUSE_MILLIS);
        update(dataSource, "INSERT INTO signups (email, name) VALUES (?, ?)", email, name);
        return Observed.readWrote(found, found + 1);
    }

    private static boolean insertUnlessDuplicate(DataSource dataSource, String email, String name) throws SQLException {
        try {
            return update(dataSource, "INSERT INTO unique_signups (email, name) VALUES (?, ?)", email, name) == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) { // unique violation, on H2 and PostgreSQL alike
                return false;
            }
            throw e;
        }
    }

    /** Half check-then-act: the debit writes back what it read, the credit adds in place. */
    private static boolean naiveTransfer(DataSource dataSource) throws SQLException, InterruptedException {
        long balance = balance(dataSource, "alice");
        if (balance < 10) {
            return false;
        }
        Thread.sleep(PAUSE_MILLIS);
        update(dataSource, "UPDATE accounts SET balance = ? WHERE id = ?", balance - 10, "alice");
        update(dataSource, "UPDATE accounts SET balance = balance + 10 WHERE id = ?", "bob");
        return true;
    }

    /** Debit only with enough money, and credit in the same transaction. */
    private static boolean transfer(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement debit = connection.prepareStatement(
                            "UPDATE accounts SET balance = balance - 10 WHERE id = 'alice' AND balance >= 10");
                    PreparedStatement credit = connection.prepareStatement(
                            "UPDATE accounts SET balance = balance + 10 WHERE id = 'bob'")) {
                boolean debited = debit.executeUpdate() == 1;
                if (debited) {
                    credit.executeUpdate();
                }
                connection.commit();
                return debited;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static long balance(DataSource dataSource, String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            read.setString(1, id);
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static int update(DataSource dataSource, String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }
}
