package io.raceguard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method under a lease of the auto-configured {@link io.raceguard.lock.LockManager}: no two
 * calls with the same key run at once, in this JVM or (on the JDBC and Redis backends) any other.
 *
 * <pre>{@code
 * @Locked(key = "#code", ttl = "5s", waitUpTo = "2s")
 * public Redemption redeem(String code, String customer) { ... }
 * }</pre>
 *
 * <p>The lock's key is {@link #name} (by default the declaring class's simple name and the method's
 * name), a colon and the value of {@link #key}, a SpEL expression over the method's parameters as
 * Spring Cache reads them ({@code #code}, {@code #p0}, {@code #a0}; {@code #root} is the bean). The
 * application fails to start when an annotated method's key is blank, does not parse, or names a
 * variable that is not one of its parameters; a key that evaluates to null at call time fails the
 * call with {@link IllegalArgumentException}, naming the method, before anything is locked.
 *
 * <p>A call that finds the lock busy waits up to {@link #waitUpTo} and then fails with {@link
 * io.raceguard.lock.LockTimeoutException}; the lease is released when the method returns or throws.
 * A lease that expires while the method still runs ({@link #ttl} too short, a long pause) no longer
 * excludes others: keep the ttl well above the method's longest run. Works on Spring beans called
 * through their proxy (not on self-invocation), like {@code @Transactional}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Locked {

    /** @return a SpEL expression over the method's parameters, the part of the lock key that varies */
    String key();

    /** @return the lock key's fixed part; empty means {@code SimpleClassName.method} */
    String name() default "";

    /** @return how long the lease holds if not released, as Spring Boot reads durations ({@code 30s}) */
    String ttl() default "30s";

    /** @return how long a call waits for a busy lock before it fails; {@code 0s} fails at once */
    String waitUpTo() default "5s";
}
