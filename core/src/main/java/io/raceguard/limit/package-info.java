/**
 * Rate limits that stay exact under concurrent bursts: the {@link io.raceguard.limit.RateLimiter}
 * interface, its {@link io.raceguard.limit.RateLimit} policies and the in-memory backend
 * {@link io.raceguard.limit.InMemoryRateLimiter}.
 *
 * <h2 id="bounds">What each algorithm bounds</h2>
 *
 * <p>"{@code L} per {@code W}" means something different for each algorithm; none of them ever grants
 * more than its own bound, however many requests race:
 *
 * <table>
 *   <caption>The bound of each algorithm, for a limit {@code L} and a window {@code W}</caption>
 *   <tr><th>algorithm</th><th>per aligned window {@code [kW, (k+1)W)}</th>
 *       <th>per rolling window of {@code W}</th><th>per burst (at one instant)</th><th>memory per key</th></tr>
 *   <tr><td>fixed window</td><td>at most {@code L}</td><td>up to {@code 2L}, across a boundary</td>
 *       <td>{@code L}</td><td>constant</td></tr>
 *   <tr><td>sliding window (counter)</td><td>at most {@code L}</td>
 *       <td>below {@code 2L}; {@code L} if the previous window's permits were evenly spread</td>
 *       <td>{@code L}</td><td>constant</td></tr>
 *   <tr><td>sliding log</td><td>at most {@code L}</td><td>at most {@code L}, exactly</td>
 *       <td>{@code L}</td><td>at most {@code L} entries</td></tr>
 *   <tr><td>token bucket (GCRA)</td><td>up to {@code 2L}</td>
 *       <td>up to {@code 2L}: a full bucket, then the refill of {@code L} per {@code W}</td>
 *       <td>{@code L}</td><td>constant</td></tr>
 * </table>
 *
 * <p>So a fixed window of 5 per minute admits 5 requests at 0:59.9 and 5 more at 1:00.0: ten in a
 * tenth of a second. Where every rolling window must hold at most {@code L} (password guesses, one-time
 * codes), use the sliding log.
 *
 * <h2 id="arithmetic">The arithmetic every backend reproduces</h2>
 *
 * <p>Every backend (in memory, Redis, SQL) decides with exactly the integer arithmetic below, so that
 * one policy gives the same decision, the same {@code remaining} and the same {@code retryAfter}
 * everywhere for the same clock readings. Each decision reads the clock once and runs all its steps
 * as one atomic step on the key's state (one {@code compute}, one Lua script, one SQL statement).
 *
 * <h3>Units, bounds and operators</h3>
 *
 * <ul>
 *   <li>{@code t}: now, in whole milliseconds, read once per decision inside the atomic step. Redis:
 *       {@code TIME} as {@code seconds * 1000 + floor(microseconds / 1000)}; SQL: the database's
 *       current time in milliseconds since the Unix epoch, truncated; in memory:
 *       {@code a + floorDiv(ticker.read() - r, 1_000_000)}, where {@code a} is the wall clock's
 *       milliseconds since the epoch and {@code r} the ticker's reading, both taken once when the
 *       limiter is created. Windows are therefore aligned on the epoch in every backend.
 *   <li>{@code W}: the window in milliseconds ({@link io.raceguard.limit.RateLimit#windowMillis()}; a
 *       window is always a whole number of milliseconds). {@code L}: the limit. {@code n}: the permits
 *       asked for, {@code 1 <= n <= L}.
 *   <li>{@code L * W <= 2^53} ({@link io.raceguard.limit.RateLimit} refuses larger policies). The steps
 *       are written so that every intermediate value is an integer of magnitude at most
 *       {@code max(2^53, t + 2W)}: exact as a Java {@code long}, a SQL {@code BIGINT} and a Lua number
 *       (a double). No step multiplies by {@code t}, and no step adds before it compares: comparisons
 *       are arranged as {@code a <= b - c} rather than {@code a + c <= b}.
 *   <li>{@code div(a, b)} is the floor of {@code a / b} and {@code mod(a, b) = a - b * div(a, b)}, for
 *       {@code b > 0} ({@code mod} is never negative); {@code ceilDiv(a, b) = div(a, b) + (mod(a, b) > 0
 *       ? 1 : 0)}. Only {@code div(t, W)} ever sees a negative numerator, and only in memory (a ticker
 *       may read below zero, as may a wall clock before 1970). In Lua compute {@code div(a, b)} as
 *       {@code (a - math.fmod(a, b)) / b}
 *       for {@code a >= 0}: {@code fmod} is exact on doubles.
 *   <li>"Refused" leaves the stored state exactly as it was: a refused request consumes nothing.
 *   <li>{@code retryAfter} is a whole number of milliseconds: the smallest {@code d >= 1} such that the
 *       same request would be allowed at {@code t + d} if no other request came in. It is zero when
 *       allowed. {@code remaining} is the largest {@code m >= 0} such that {@code m} more permits
 *       would be allowed at {@code t} after this decision (so it is below {@code n} when refused, and
 *       {@code 0} when a single permit was refused).
 *   <li>Each algorithm names the time from which its state no longer affects any decision; a store
 *       may drop the state then (in Redis, {@code PEXPIRE} by that time minus {@code t}, set on every
 *       allowed request). A missing state and one past that time decide identically.
 * </ul>
 *
 * <h3>Fixed window</h3>
 *
 * State {@code (k_s, c_s)}: the index of the window that counted, and its count.
 *
 * <ol>
 *   <li>{@code k = div(t, W)}. If a state exists and {@code k_s > k} (the store's clock stepped back),
 *       then {@code k = k_s} and {@code t = k_s * W}.
 *   <li>{@code c = c_s} if a state exists and {@code k_s = k}; otherwise {@code c = 0}.
 *   <li>If {@code c <= L - n}: allowed. Store {@code (k, c + n)}; {@code remaining = L - (c + n)}.
 *   <li>Otherwise refused: {@code remaining = L - c}; {@code retryAfter = (k + 1) * W - t}.
 * </ol>
 *
 * The state can be dropped from {@code t >= (k_s + 1) * W} on.
 *
 * <h3>Sliding window (counter)</h3>
 *
 * State {@code (k_s, c_s, p_s)}: the index of the current window, its count, and the count of the
 * window before it. The previous window is weighted by the fraction of it that still lies inside the
 * last {@code W} milliseconds; the weighted estimate is never rounded, only compared exactly.
 *
 * <ol>
 *   <li>{@code k = div(t, W)}. If a state exists and {@code k_s > k}, then {@code k = k_s} and
 *       {@code t = k_s * W}.
 *   <li>Roll the state forward: if {@code k_s = k} then {@code c = c_s, p = p_s}; if {@code k_s = k -
 *       1} then {@code c = 0, p = c_s}; otherwise (or without a state) {@code c = 0, p = 0}.
 *   <li>{@code r = W - (t - k * W)}, the milliseconds of the previous window still inside the last
 *       {@code W} ({@code 1 <= r <= W}). The estimate is {@code c + p * r / W} (a rational number).
 *   <li>If {@code c <= L - n} and {@code p * r <= (L - c - n) * W}: allowed (estimate plus {@code n} at
 *       most {@code L}). Store {@code (k, c + n, p)}; {@code remaining = div(max(0, (L - (c + n)) * W - p
 *       * r), W)}.
 *   <li>Otherwise refused: {@code remaining = div(max(0, (L - c) * W - p * r), W)}, and with {@code A =
 *       L - c - n}:
 *       <ul>
 *         <li>if {@code A >= 0} (so {@code p > 0}): {@code retryAfter = r - div(A * W, p)}, within the
 *             current window or at its end, once the previous window weighs little enough;
 *         <li>otherwise ({@code c > 0}): {@code retryAfter = r + W - div((L - n) * W, c)}, in the next
 *             window, where this window's count {@code c} becomes the weighted previous count.
 *       </ul>
 * </ol>
 *
 * The state can be dropped from {@code t >= (k_s + 2) * W} on.
 *
 * <h3>Sliding log</h3>
 *
 * State: the times {@code e_1 <= ... <= e_m} of the permits granted, one entry per permit,
 * {@code m <= L}. An entry is inside the window at {@code t} while {@code e_i > t - W}.
 *
 * <ol>
 *   <li>If a state exists and {@code e_m > t} (the store's clock stepped back), then {@code t = e_m}.
 *   <li>{@code c = #{i : e_i > t - W}}, the permits inside the last {@code W}; entries not inside it
 *       may be dropped.
 *   <li>If {@code c <= L - n}: allowed. Store the entries inside the window plus {@code n} entries
 *       {@code t}; {@code remaining = L - c - n}.
 *   <li>Otherwise refused: {@code remaining = L - c}; with {@code e} the {@code (c + n - L)}-th oldest
 *       entry inside the window, {@code retryAfter = e + W - t}, when that entry leaves the window.
 * </ol>
 *
 * The state can be dropped from {@code t >= e_m + W} on. At most {@code L} entries are ever inside the
 * window, so a store keeps at most {@code L} per key (SQL keeps exactly {@code L}, the oldest standing
 * for "no permit" until overwritten).
 *
 * <h3>Token bucket (GCRA)</h3>
 *
 * The generic cell rate algorithm with emission interval {@code T = W / L} and a burst of {@code L}:
 * allowed iff {@code max(TAT, t) + n * T - t <= W}. To stay exact when {@code L} does not divide
 * {@code W}, time inside the bucket is counted in units of {@code 1/L} millisecond, where {@code T} is
 * exactly {@code W} units and the whole bucket {@code L * W} units. State {@code (a, f)}: the
 * theoretical arrival time {@code TAT = a + f / L} milliseconds, {@code 0 <= f < L}.
 *
 * <ol>
 *   <li>The backlog {@code B = max(TAT - t, 0)} in units: with {@code d = a - t}, {@code B = 0} without
 *       a state or if {@code d < 0}; {@code B = L * W} if {@code d >= W} (only after the store's clock
 *       stepped back: it caps the wait at one window); otherwise {@code B = d * L + f}.
 *   <li>If {@code B <= (L - n) * W}: allowed. With {@code B' = B + n * W}, store {@code (t + div(B', L),
 *       mod(B', L))}; {@code remaining = div(L * W - B', W)}.
 *   <li>Otherwise refused: {@code remaining = div(L * W - B, W)}; {@code retryAfter = ceilDiv(B - (L -
 *       n) * W, L)}, the time for the backlog to drain to {@code (L - n) * W}.
 * </ol>
 *
 * The state can be dropped from {@code t >= a + (f > 0 ? 1 : 0)} on.
 */
package io.raceguard.limit;
