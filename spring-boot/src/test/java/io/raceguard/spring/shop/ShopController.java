package io.raceguard.spring.shop;

import io.raceguard.spring.Idempotent;
import io.raceguard.spring.RateLimited;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Every scenario on {@code /guarded/...} and {@code /unguarded/...}. */
@RestController
public class ShopController {

    private final NaiveShop naive;
    private final GuardedShop guarded;
    private final AtomicInteger guardedCharges = new AtomicInteger();
    private final AtomicInteger unguardedCharges = new AtomicInteger();

    ShopController(NaiveShop naive, GuardedShop guarded) {
        this.naive = naive;
        this.guarded = guarded;
    }

    @PostMapping("/{mode}/coupons/{code}/redeem")
    ResponseEntity<String> redeem(@PathVariable String mode, @PathVariable String code) {
        return answer(shop(mode).redeem(code));
    }

    @PostMapping("/{mode}/transfers")
    ResponseEntity<String> transfer(@PathVariable String mode, @RequestParam String from, @RequestParam String to,
            @RequestParam long amount) {
        return answer(shop(mode).transfer(from, to, amount));
    }

    @PostMapping("/{mode}/users")
    ResponseEntity<String> signUp(@PathVariable String mode, @RequestParam String email) {
        return answer(shop(mode).signUp(email));
    }

    @PostMapping("/{mode}/items/{sku}/buy")
    ResponseEntity<String> buyLastItem(@PathVariable String mode, @PathVariable String sku) {
        return answer(shop(mode).buyLastItem(sku));
    }

    // quickstart:spring-rate-limited
    @RateLimited(limit = 5, window = "1m", key = "#username")  // 5 a minute per user, then 429
    @PostMapping("/guarded/login")
    String guardedLogin(@RequestParam String username) {
        return "welcome " + username;
    }
    // end

    @PostMapping("/unguarded/login")
    String unguardedLogin(@RequestParam String username) {
        return "welcome " + username;
    }

    // quickstart:spring-idempotent
    @Idempotent                             // Idempotency-Key required: runs once, retries get the first answer
    @PostMapping("/guarded/charges")
    ResponseEntity<String> guardedCharge() throws InterruptedException {
        return charge(guardedCharges);
    }
    // end

    @PostMapping("/unguarded/charges")
    ResponseEntity<String> unguardedCharge() throws InterruptedException {
        return charge(unguardedCharges);
    }

    /** @return how many charges each mode's handler made */
    public int charges(String mode) {
        return (mode.equals("guarded") ? guardedCharges : unguardedCharges).get();
    }

    private static ResponseEntity<String> charge(AtomicInteger charges) throws InterruptedException {
        int number = charges.incrementAndGet();
        Thread.sleep(50);
        return ResponseEntity.status(HttpStatus.CREATED).body("{\"charge\":" + number + "}");
    }

    private ShopOperations shop(String mode) {
        return mode.equals("guarded") ? guarded : naive;
    }

    private static ResponseEntity<String> answer(boolean done) {
        return done ? ResponseEntity.status(HttpStatus.CREATED).body("done") : ResponseEntity.status(409).body("no");
    }
}
