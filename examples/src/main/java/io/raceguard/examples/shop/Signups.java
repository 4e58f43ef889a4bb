package io.raceguard.examples.shop;

import io.raceguard.Outcome;
import io.raceguard.jdbc.GuardedUpdates;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/signup email=E}: 201 signed up, 409 taken. Addresses are compared
 * case-insensitively: {@code Alice@Example.com} is taken once {@code alice@example.com} is.
 */
final class Signups implements Endpoint {

    private static final GuardedUpdates USERS = GuardedUpdates.on("guarded_users", "id");

    private final Jdbi jdbi;
    private final SimulatedCall emailCheck;

    Signups(Jdbi jdbi, SimulatedCall emailCheck) {
        this.jdbi = jdbi;
        this.emailCheck = emailCheck;
    }

    @Override
    public String path() {
        return "/signup";
    }

    /** Looks the address up, checks the mailbox, then inserts: two requests can both find it free. */
    @Override
    public Reply naive(ShopRequest request) {
        String email = email(request);
        boolean taken = jdbi.withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM naive_users WHERE LOWER(email) = :key")
                .bind("key", key(email))
                .mapTo(Long.class)
                .one() > 0);
        if (taken) {
            return taken();
        }
        emailCheck.run();
        long id = jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO naive_users (email) VALUES (:email)")
                .bind("email", email)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return signedUp(id, email);
    }

    /** The unique index on the lower-cased address decides; the duplicate comes back as a value. */
    @Override
    public Reply guarded(ShopRequest request) {
        String email = email(request);
        emailCheck.run();
        Outcome<Long> user = jdbi.withHandle(handle ->
                USERS.insertIfAbsent(handle, Map.of("email", email, "email_key", key(email)), Long.class));
        return user.isApplied() ? signedUp(user.value(), email) : taken();
    }

    private static String email(ShopRequest request) {
        String email = request.form().text("email");
        if (email.indexOf('@') < 1 || email.endsWith("@")) {
            throw new BadRequestException("field email must be an email address");
        }
        return email;
    }

    private static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    private static Reply taken() {
        return Reply.error(409, "email taken");
    }

    private static Reply signedUp(long id, String email) {
        return Reply.of(201, Json.object().put("user_id", id).put("email", email));
    }
}
