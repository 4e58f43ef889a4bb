package io.raceguard.examples.shop;

import io.raceguard.Outcome;
import io.raceguard.jdbc.GuardedUpdates;
import io.raceguard.jdbc.RowLocks;
import io.raceguard.jdbc.Transactions;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code POST /{mode}/transfer from=1&to=2&amount=100}: 200 moved, 400 insufficient funds, 404 unknown
 * account.
 */
final class Transfers implements Endpoint {

    private static final GuardedUpdates ACCOUNTS = GuardedUpdates.on("guarded_accounts", "id");
    private static final RowLocks ACCOUNT_LOCKS = RowLocks.on("guarded_accounts", "id");

    private final Jdbi jdbi;
    private final Transactions transactions;
    private final SimulatedCall fraudCheck;

    Transfers(Jdbi jdbi, SimulatedCall fraudCheck) {
        this.jdbi = jdbi;
        // The conditional debit is correct at READ COMMITTED; what is retried is a deadlock.
        this.transactions = Transactions.builder(jdbi).isolation(TransactionIsolationLevel.READ_COMMITTED).build();
        this.fraudCheck = fraudCheck;
    }

    @Override
    public String path() {
        return "/transfer";
    }

    /**
     * Reads the balance, checks it, calls the fraud check, then moves the money, all in one
     * transaction: a transaction alone does not stop the race, since every request reads the same
     * balance before any of them writes.
     */
    @Override
    public Reply naive(ShopRequest request) {
        long from = request.form().positiveNumber("from");
        long to = request.form().positiveNumber("to");
        long amount = request.form().positiveNumber("amount");
        requireTwoAccounts(from, to);
        return jdbi.inTransaction(handle -> {
            Optional<Long> balance = naiveBalance(handle, from);
            if (balance.isEmpty() || naiveBalance(handle, to).isEmpty()) {
                return Reply.error(404, "no such account");
            }
            if (balance.get() < amount) {
                return insufficientFunds();
            }
            fraudCheck.run();
            handle.createUpdate("UPDATE naive_accounts SET balance = balance - :amount WHERE id = :id")
                    .bind("amount", amount).bind("id", from).execute();
            handle.createUpdate("UPDATE naive_accounts SET balance = balance + :amount WHERE id = :id")
                    .bind("amount", amount).bind("id", to).execute();
            return moved(from, to, amount, balance.get() - amount);
        });
    }

    /**
     * Locks both rows in key order (two opposite transfers queue instead of deadlocking), then debits
     * only if {@code balance >= amount}, inside the write.
     */
    @Override
    public Reply guarded(ShopRequest request) {
        long from = request.form().positiveNumber("from");
        long to = request.form().positiveNumber("to");
        long amount = request.form().positiveNumber("amount");
        requireTwoAccounts(from, to);
        fraudCheck.run();
        return transactions.inTransaction(handle -> {
            if (ACCOUNT_LOCKS.lock(handle, List.of(from, to)).size() < 2) {
                return Reply.error(404, "no such account");
            }
            Outcome<Long> debit = ACCOUNTS.decrement("balance", amount).apply(handle, from);
            if (!debit.isApplied()) {
                return insufficientFunds();
            }
            ACCOUNTS.increment("balance", amount, Long.MAX_VALUE).apply(handle, to).orElseThrow();
            return moved(from, to, amount, debit.value());
        });
    }

    private static Optional<Long> naiveBalance(Handle handle, long account) {
        return handle.createQuery("SELECT balance FROM naive_accounts WHERE id = :id")
                .bind("id", account)
                .mapTo(Long.class)
                .findOne();
    }

    private static void requireTwoAccounts(long from, long to) {
        if (from == to) {
            throw new BadRequestException("fields from and to must name two different accounts");
        }
    }

    private static Reply insufficientFunds() {
        return Reply.error(400, "insufficient funds");
    }

    private static Reply moved(long from, long to, long amount, long balance) {
        return Reply.of(200, Json.object().put("from", from).put("to", to).put("amount", amount).put("balance", balance));
    }
}
