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
        Transfer transfer = Transfer.of(request.form());
        return jdbi.inTransaction(handle -> {
            Optional<Long> balance = naiveBalance(handle, transfer.from());
            if (balance.isEmpty() || naiveBalance(handle, transfer.to()).isEmpty()) {
                return noSuchAccount();
            }
            if (balance.get() < transfer.amount()) {
                return insufficientFunds();
            }
            fraudCheck.run();
            handle.createUpdate("UPDATE naive_accounts SET balance = balance - :amount WHERE id = :id")
                    .bind("amount", transfer.amount()).bind("id", transfer.from()).execute();
            handle.createUpdate("UPDATE naive_accounts SET balance = balance + :amount WHERE id = :id")
                    .bind("amount", transfer.amount()).bind("id", transfer.to()).execute();
            return transfer.moved(balance.get() - transfer.amount());
        });
    }

    /**
     * Locks both rows in key order (two opposite transfers queue instead of deadlocking), then debits
     * only if {@code balance >= amount}, inside the write.
     */
    @Override
    public Reply guarded(ShopRequest request) {
        Transfer transfer = Transfer.of(request.form());
        fraudCheck.run();
        return transactions.inTransaction(handle -> {
            if (ACCOUNT_LOCKS.lock(handle, List.of(transfer.from(), transfer.to())).size() < 2) {
                return noSuchAccount();
            }
            Outcome<Long> debit = ACCOUNTS.decrement("balance", transfer.amount()).apply(handle, transfer.from());
            if (!debit.isApplied()) {
                return insufficientFunds();
            }
            ACCOUNTS.increment("balance", transfer.amount(), Long.MAX_VALUE).apply(handle, transfer.to()).orElseThrow();
            return transfer.moved(debit.value());
        });
    }

    private static Optional<Long> naiveBalance(Handle handle, long account) {
        return handle.createQuery("SELECT balance FROM naive_accounts WHERE id = :id")
                .bind("id", account)
                .mapTo(Long.class)
                .findOne();
    }

    private static Reply noSuchAccount() {
        return Reply.error(404, "no such account");
    }

    private static Reply insufficientFunds() {
        return Reply.error(400, "insufficient funds");
    }

    /** The fields of one transfer request, validated. */
    private record Transfer(long from, long to, long amount) {

        static Transfer of(Form form) {
            Transfer transfer = new Transfer(form.positiveNumber("from"), form.positiveNumber("to"),
                    form.positiveNumber("amount"));
            if (transfer.from() == transfer.to()) {
                throw new BadRequestException("fields from and to must name two different accounts");
            }
            return transfer;
        }

        Reply moved(long balanceLeft) {
            return Reply.of(200, Json.object().put("from", from).put("to", to).put("amount", amount)
                    .put("balance", balanceLeft));
        }
    }
}
