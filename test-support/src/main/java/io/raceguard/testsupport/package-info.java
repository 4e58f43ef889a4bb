/**
 * Test-only support shared by every Raceguard module: finds the PostgreSQL, MariaDB and Redis
 * servers to test against ({@link io.raceguard.testsupport.TestServices}) and gives each test class a
 * namespace of its own on them, dropped when the class is done
 * ({@link io.raceguard.testsupport.IsolatedDatabase}, {@link io.raceguard.testsupport.RedisKeyspace}).
 *
 * <p>Servers are shared by test classes running in parallel, by other JVMs and by other people, so a
 * test never writes outside its namespace and never flushes or drops anything it did not create:
 * <pre>{@code
 * final class RedisLocksTest {
 *     private static RedisKeyspace keys;
 *
 *     @BeforeAll static void reserveKeys() { keys = TestServices.redis().isolate(RedisLocksTest.class); }
 *     @AfterAll static void deleteKeys() { keys.close(); }
 *
 *     @Test void shouldGrantOneLeaseAtATime() {
 *         try (Jedis jedis = TestServices.redis().connect()) {
 *             String lockKey = keys.key("lock:order-42");
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 * With none of the servers around, such tests are skipped, never counted as passed; CI sets
 * {@code RACEGUARD_REQUIRE_SERVICES=true} so that a missing server fails the build instead.
 */
package io.raceguard.testsupport;
