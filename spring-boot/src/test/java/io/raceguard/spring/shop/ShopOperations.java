package io.raceguard.spring.shop;

/** The shop's check-then-act operations, each answering whether it went through. */
public interface ShopOperations {

    boolean redeem(String code);

    boolean transfer(String from, String to, long amount);

    boolean signUp(String email);

    boolean buyLastItem(String sku);
}
