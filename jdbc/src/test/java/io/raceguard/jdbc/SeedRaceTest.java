package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed races on real databases: each check-then-act written naively first, shown losing under
 * the interleaving a race allows (every check before any act), then written with
 * {@link GuardedUpdates} or {@link RowLocks} and hammered by threads released from one gate.
 */
final class SeedRaceTest {

    private static final GuardedUpdates ACCOUNTS = GuardedUpdates.on("accounts", "id");
    private static final RowLocks ACCOUNT_ROWS = RowLocks.on("accounts", "id");
    private static final GuardedUpdates COUPONS = GuardedUpdates.on("coupons", "code");
    private static final GuardedUpdates USERS = GuardedUpdates.on("users", "id");
    private static final GuardedUpdates PRODUCTS = GuardedUpdates.on("products", "id");

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLetExactlyTwoOfFiveHundredDollarTransfersDrainATwoHundredDollarAccount(DatabaseKind kind)
            throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            createAccounts(database, 200, 0);
            CountDownLatch checked = new CountDownLatch(5);
            List<Boolean> naive = StartGate.runTogether(5, i -> () -> database.jdbi().inTransaction(handle -> {
                long balance = balance(handle, "A");
                StartGate.awaitAll(checked);
                if (balance < 100) {
                    return false;
                }
                move(handle, "A", "B", 100);
                return true;
            }));
            assertThat(naive).as("naive transfers that went through").containsOnly(true);
            assertThat(balance(database.jdbi(), "A")).as("naive: the account is overdrawn").isEqualTo(-300);

            createAccounts(database, 200, 0);
            List<Outcome<Long>> guarded = StartGate.runTogether(5, i -> () ->
                    database.jdbi().inTransaction(handle -> transfer(handle, "A", "B", 100)));

            assertThat(guarded).filteredOn(Outcome::isApplied).hasSize(2);
            assertThat(guarded).filteredOn(outcome -> !outcome.isApplied())
                    .extracting(Outcome::rejection).containsOnly(Rejection.CONDITION_FAILED).hasSize(3);
            assertThat(balance(database.jdbi(), "A")).isZero();
            assertThat(balance(database.jdbi(), "A") + balance(database.jdbi(), "B")).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLetExactlyTwoOfFiveTransfersThroughWhenTheyLockBothRowsInKeyOrder(DatabaseKind kind)
            throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            createAccounts(database, 200, 0);
            List<Boolean> transfers = StartGate.runTogether(5, i -> () -> database.jdbi().inTransaction(handle -> {
                assertThat(ACCOUNT_ROWS.lock(handle, List.of("B", "A"))).containsExactly("A", "B");
                if (balance(handle, "A") < 100) {
                    return false;
                }
                move(handle, "A", "B", 100);
                return true;
            }));

            assertThat(transfers).filteredOn(Boolean::booleanValue).hasSize(2);
            assertThat(balance(database.jdbi(), "A")).isZero();
            assertThat(balance(database.jdbi(), "B")).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCompleteOpposingTransfersWithoutDeadlockWhenRowsAreLockedInKeyOrder(DatabaseKind kind)
            throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            createAccounts(database, 100, 100);
            CountDownLatch firstLocked = new CountDownLatch(2);
            List<SqlFailure> naive = StartGate.runTogether(2, i -> () -> {
                List<String> order = i == 0 ? List.of("A", "B") : List.of("B", "A");
                try {
                    database.jdbi().useTransaction(handle -> {
                        lockUnordered(handle, order.get(0));
                        StartGate.awaitAll(firstLocked);
                        lockUnordered(handle, order.get(1));
                        move(handle, order.get(0), order.get(1), 10);
                    });
                    return null;
                } catch (RuntimeException failure) {
                    return SqlFailure.classify(failure);
                }
            });
            assertThat(naive).as("naive: locking in caller order deadlocks")
                    .anySatisfy(failure -> assertThat(failure)
                            .isInstanceOfAny(SqlFailure.Deadlock.class, SqlFailure.LockTimeout.class));

            createAccounts(database, 100, 100);
            List<Boolean> ordered = StartGate.runTogether(10, i -> () -> database.jdbi().inTransaction(handle -> {
                String from = i % 2 == 0 ? "A" : "B";
                String to = i % 2 == 0 ? "B" : "A";
                ACCOUNT_ROWS.lock(handle, List.of(from, to));
                move(handle, from, to, 10);
                return true;
            }));

            assertThat(ordered).hasSize(10).containsOnly(true);
            assertThat(balance(database.jdbi(), "A")).isEqualTo(100);
            assertThat(balance(database.jdbi(), "B")).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRedeemACouponWithOneUseExactlyOnceAmongTwentyConcurrentRedemptions(DatabaseKind kind)
            throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            database.execute("CREATE TABLE coupons (code VARCHAR(20) PRIMARY KEY, uses INT NOT NULL, max_uses INT NOT"
                    + " NULL)",
                    "INSERT INTO coupons (code, uses, max_uses) VALUES ('SAVE20', 0, 1)");
            CountDownLatch checked = new CountDownLatch(20);
            List<Boolean> naive = StartGate.runTogether(20, i -> () -> database.jdbi().inTransaction(handle -> {
                Map<String, Object> coupon = handle.createQuery("SELECT uses, max_uses FROM coupons WHERE code ="
                        + " 'SAVE20'")
                        .mapToMap().one();
                StartGate.awaitAll(checked);
                if (((Number) coupon.get("uses")).intValue() >= ((Number) coupon.get("max_uses")).intValue()) {
                    return false;
                }
                handle.execute("UPDATE coupons SET uses = uses + 1 WHERE code = 'SAVE20'");
                return true;
            }));
            assertThat(naive).as("naive redemptions").filteredOn(Boolean::booleanValue).hasSize(20);

            database.execute("UPDATE coupons SET uses = 0");
            List<Outcome<Long>> guarded = StartGate.runTogether(20, i -> () -> database.jdbi().withHandle(handle ->
                    COUPONS.increment("uses", 1, "max_uses").apply(handle, "SAVE20")));

            assertThat(guarded).filteredOn(Outcome::isApplied).extracting(Outcome::value).containsExactly(1L);
            assertThat(guarded).filteredOn(outcome -> !outcome.isApplied())
                    .extracting(Outcome::rejection).containsOnly(Rejection.CONDITION_FAILED).hasSize(19);
            assertThat(integer(database.jdbi(), "SELECT uses FROM coupons")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldSignUpOneOfTwentyConcurrentSignUpsWithTheSameEmailInMixedCase(DatabaseKind kind) throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            database.execute("CREATE TABLE naive_users (email VARCHAR(255) NOT NULL)");
            CountDownLatch checked = new CountDownLatch(20);
            List<Boolean> naive = StartGate.runTogether(20, i -> () -> database.jdbi().inTransaction(handle -> {
                String email = mixedCase("alice@example.com", i);
                boolean taken = handle.createQuery("SELECT COUNT(*) FROM naive_users WHERE LOWER(email) ="
                        + " LOWER(:email)")
                        .bind("email", email).mapTo(Integer.class).one() > 0;
                StartGate.awaitAll(checked);
                if (taken) {
                    return false;
                }
                handle.createUpdate("INSERT INTO naive_users (email) VALUES (:email)").bind("email", email).execute();
                return true;
            }));
            assertThat(naive).as("naive sign-ups").filteredOn(Boolean::booleanValue).hasSize(20);

            createUsers(database);
            List<Outcome<Long>> guarded = StartGate.runTogether(20, i -> () -> database.jdbi().withHandle(handle ->
                    USERS.insertIfAbsent(handle, Map.of("email", mixedCase("alice@example.com", i)), Long.class)));

            assertThat(guarded).filteredOn(Outcome::isApplied).hasSize(1);
            assertThat(guarded).filteredOn(outcome -> !outcome.isApplied()).hasSize(19).allSatisfy(outcome -> {
                assertThat(outcome.rejection()).isEqualTo(Rejection.DUPLICATE);
                assertThat(outcome.detail()).isEqualToIgnoringCase("users_email_key");
            });
            assertThat(integer(database.jdbi(), "SELECT COUNT(*) FROM users")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldSellTheLastItemToExactlyOneOfTwentyConcurrentBuyers(DatabaseKind kind) throws Exception {
        try (TestDatabase database = kind.open(SeedRaceTest.class)) {
            database.execute("CREATE TABLE products (id VARCHAR(20) PRIMARY KEY, stock INT NOT NULL)",
                    "CREATE TABLE orders (product_id VARCHAR(20) NOT NULL, buyer INT NOT NULL)",
                    "INSERT INTO products (id, stock) VALUES ('lamp', 1)");
            CountDownLatch checked = new CountDownLatch(20);
            StartGate.runTogether(20, i -> () -> database.jdbi().inTransaction(handle -> {
                int stock = handle.createQuery("SELECT stock FROM products WHERE id = 'lamp'").mapTo(Integer.class)
                        .one();
                StartGate.awaitAll(checked);
                if (stock < 1) {
                    return false;
                }
                handle.execute("UPDATE products SET stock = stock - 1 WHERE id = 'lamp'");
                placeOrder(handle, i);
                return true;
            }));
            assertThat(orders(database.jdbi())).as("naive orders").isEqualTo(20);
            assertThat(stock(database.jdbi())).as("naive: stock oversold").isEqualTo(-19);

            database.execute("DELETE FROM orders", "UPDATE products SET stock = 1");
            List<Outcome<Long>> guarded = StartGate.runTogether(20, i -> () -> database.jdbi().inTransaction(handle -> {
                Outcome<Long> taken = PRODUCTS.decrement("stock", 1).apply(handle, "lamp");
                if (taken.isApplied()) {
                    placeOrder(handle, i);
                }
                return taken;
            }));

            assertThat(guarded).filteredOn(Outcome::isApplied).extracting(Outcome::value).containsExactly(0L);
            assertThat(orders(database.jdbi())).isEqualTo(1);
            assertThat(stock(database.jdbi())).isZero();
        }
    }

    static void createAccounts(TestDatabase database, long balanceOfA, long balanceOfB) throws SQLException {
        database.execute("DROP TABLE IF EXISTS accounts",
                "CREATE TABLE accounts (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                "INSERT INTO accounts (id, balance) VALUES ('A', " + balanceOfA + "), ('B', " + balanceOfB + ")");
    }

    static long balance(Jdbi jdbi, String account) {
        return jdbi.withHandle(handle -> balance(handle, account));
    }

    static long balance(Handle handle, String account) {
        return handle.createQuery("SELECT balance FROM accounts WHERE id = :id").bind("id", account).mapTo(Long.class)
                .one();
    }

    private static Outcome<Long> transfer(Handle handle, String from, String to, long amount) {
        Outcome<Long> debit = ACCOUNTS.decrement("balance", amount).apply(handle, from);
        if (debit.isApplied()) {
            ACCOUNTS.increment("balance", amount, Long.MAX_VALUE).apply(handle, to).orElseThrow();
        }
        return debit;
    }

    private static void move(Handle handle, String from, String to, long amount) {
        handle.createUpdate("UPDATE accounts SET balance = balance - :amount WHERE id = :id")
                .bind("amount", amount).bind("id", from).execute();
        handle.createUpdate("UPDATE accounts SET balance = balance + :amount WHERE id = :id")
                .bind("amount", amount).bind("id", to).execute();
    }

    private static void lockUnordered(Handle handle, String account) {
        handle.createQuery("SELECT id FROM accounts WHERE id = :id FOR UPDATE").bind("id", account).mapTo(String.class)
                .one();
    }

    static void createUsers(TestDatabase database) throws SQLException {
        switch (database.kind()) {
            case POSTGRESQL -> database.execute(
                    "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email VARCHAR(255) NOT"
                            + " NULL)",
                    "CREATE UNIQUE INDEX users_email_key ON users (LOWER(email))");
            case MARIADB -> database.execute(
                    "CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                            + " email VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL)",
                    "CREATE UNIQUE INDEX users_email_key ON users (email)");
            case H2 -> database.execute(
                    "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email"
                            + " VARCHAR_IGNORECASE(255) NOT NULL)",
                    "CREATE UNIQUE INDEX users_email_key ON users (email)");
        }
    }

    /** The same address with the case of its letters chosen by the bits of {@code variant}. */
    private static String mixedCase(String email, int variant) {
        StringBuilder mixed = new StringBuilder(email.length());
        for (int i = 0; i < email.length(); i++) {
            String letter = email.substring(i, i + 1);
            mixed.append((variant >> (i % 5) & 1) == 1 ? letter.toUpperCase(Locale.ROOT) : letter);
        }
        return mixed.toString();
    }

    private static void placeOrder(Handle handle, int buyer) {
        handle.createUpdate("INSERT INTO orders (product_id, buyer) VALUES ('lamp', :buyer)").bind("buyer", buyer)
                .execute();
    }

    private static int orders(Jdbi jdbi) {
        return integer(jdbi, "SELECT COUNT(*) FROM orders");
    }

    private static int stock(Jdbi jdbi) {
        return integer(jdbi, "SELECT stock FROM products WHERE id = 'lamp'");
    }

    static int integer(Jdbi jdbi, String query) {
        return jdbi.withHandle(handle -> handle.createQuery(query).mapTo(Integer.class).one());
    }
}
