package io.raceguard.spring.shop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * The shop as the guide's naive code writes it: read, decide, pause as real work does, write. Each
 * operation is correct alone and wrong when two calls interleave.
 */
@Service
public class NaiveShop implements ShopOperations {

    /** Every account starts with this balance. */
    public static final long OPENING_BALANCE = 100;

    private static final long WORK_MILLIS = 5;

    private final Map<String, Boolean> redeemed = new ConcurrentHashMap<>();
    private final Map<String, Long> balances = new ConcurrentHashMap<>();
    private final Map<String, Boolean> users = new ConcurrentHashMap<>();
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    @Override
    public boolean redeem(String code) {
        if (redeemed.containsKey(code)) {
            return false;
        }
        work();
        redeemed.put(code, true);
        return true;
    }

    @Override
    public boolean transfer(String from, String to, long amount) {
        long balance = balance(from);
        if (balance < amount) {
            return false;
        }
        work();
        balances.put(from, balance - amount);
        balances.put(to, balance(to) + amount);
        return true;
    }

    @Override
    public boolean signUp(String email) {
        if (users.containsKey(email)) {
            return false;
        }
        work();
        users.put(email, true);
        return true;
    }

    @Override
    public boolean buyLastItem(String sku) {
        int left = stock.getOrDefault(sku, 1);
        if (left < 1) {
            return false;
        }
        work();
        stock.put(sku, left - 1);
        return true;
    }

    /** @return the account's balance */
    public long balance(String account) {
        return balances.getOrDefault(account, OPENING_BALANCE);
    }

    private static void work() {
        try {
            Thread.sleep(WORK_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
