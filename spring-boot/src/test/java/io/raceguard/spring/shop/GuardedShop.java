package io.raceguard.spring.shop;

import io.raceguard.spring.Locked;
import org.springframework.stereotype.Service;

/** The same operations, each under a lease on what it reads and writes. */
@Service
public class GuardedShop implements ShopOperations {

    private final NaiveShop shop;

    GuardedShop(NaiveShop shop) {
        this.shop = shop;
    }

    // quickstart:spring-locked
    @Override
    @Locked(key = "#code", ttl = "10s", waitUpTo = "10s")  // one call per coupon code at a time, on any instance
    public boolean redeem(String code) {
        return shop.redeem(code);
    }
    // end

    @Override
    @Locked(key = "#from", ttl = "10s", waitUpTo = "10s")
    public boolean transfer(String from, String to, long amount) {
        return shop.transfer(from, to, amount);
    }

    @Override
    @Locked(key = "#email", ttl = "10s", waitUpTo = "10s")
    public boolean signUp(String email) {
        return shop.signUp(email);
    }

    @Override
    @Locked(key = "#sku", ttl = "10s", waitUpTo = "10s")
    public boolean buyLastItem(String sku) {
        return shop.buyLastItem(sku);
    }
}
