package io.raceguard.testing.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raceguard.internal.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * Bad and borderline input for the kits' property tests: keys, amounts and durations drawn from a
 * fixed seed out of the edges where stores break (empty, blank, 10 KB, control characters, unpaired
 * surrogates, Lua and SQL metacharacters, non-BMP characters, 4 KB of multi-byte UTF-8; zero,
 * negative and {@code Long} extremes; zero, negative, huge and sub-millisecond durations). Each case
 * carries the seed and its index, so that a failure names what to replay; set the system property
 * {@value #SEED_PROPERTY} to run another seed.
 *
 * <p>Whether a key must be accepted is decided here from the documented rules of {@link
 * Inputs#requireKey}, written out again rather than called, so that the library's check is itself
 * under test. Not thread-safe: used by the test thread.
 */
final class GeneratedInputs {

    /** The system property that overrides the fixed seed. */
    static final String SEED_PROPERTY = "raceguard.inputs.seed";

    private static final long FIXED_SEED = 20_261_125L;

    private static final List<String> WHOLE_KEYS = List.of("", " ", "\t", "\r\n", " \u2003\u000B\f ");
    private static final List<String> FRAGMENTS = List.of(
            "\0", "a\0b", "\r\n", "\u0085", "\u0001\u001B\u007F", "\u2028",
            "\uD800", "\uDC00", "\uDE00\uD83D", "x\uDBFF",
            "'", "\"", ";", "--", "]]", "[[", "%s", "\\\\", "{", "}", "{}", "]=]", "');--", "\" .. \"",
            "\uD83D\uDE00", "\uD834\uDD1E", "\uDBFF\uDFFF", "\uD800\uDC00",
            "plain", ":", " ");

    private final long seed;
    private final Random random;

    /** Inputs from the fixed seed, or from {@value #SEED_PROPERTY} where that is set. */
    GeneratedInputs() {
        this(Long.getLong(SEED_PROPERTY, FIXED_SEED));
    }

    GeneratedInputs(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * @param count how many keys, at least 8: the first ones are the whole-key edges (empty, blank,
     *     10 KB, 4 KB), the rest random mixes of fragments
     * @param unique where the keys that are not whole-key edges get their unique prefix, so that kits
     *     sharing a server never meet
     * @return distinct keys, each with whether the rules accept it
     */
    List<GeneratedKey> keys(int count, ContractKeys unique) {
        List<String> drawn = new ArrayList<>(WHOLE_KEYS);
        drawn.add(unique.unique("ten-kb:" + "k".repeat(10 * 1024)));
        drawn.add(unique.ofUtf8Bytes("four-kb", 4096));
        while (drawn.size() < count) {
            StringBuilder key = new StringBuilder(unique.unique("generated-" + drawn.size() + ":"));
            for (int fragments = 1 + random.nextInt(3); fragments > 0; fragments--) {
                key.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
            }
            drawn.add(key.toString());
        }
        List<GeneratedKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new GeneratedKey(caseName(i), drawn.get(i), isValidKey(drawn.get(i))));
        }
        return keys;
    }

    /**
     * @param count how many
     * @return every amount at and around 0, 1 and the {@code Long} extremes once, in a random order
     *     (so that lists drawn for different parameters pair them differently), then edges and random
     *     amounts mixed; only the first {@code count} when that is fewer than the edges
     */
    List<Long> amounts(int count) {
        long max = Long.MAX_VALUE;
        List<Long> edges = List.of(0L, 1L, 2L, -1L, -2L, max, max - 1, max - 2, max / 2, max / 2 + 1,
                Long.MIN_VALUE, Long.MIN_VALUE + 1);
        List<Long> amounts = new ArrayList<>(edges);
        Collections.shuffle(amounts, random);
        while (amounts.size() < count) {
            amounts.add(random.nextBoolean() ? edges.get(random.nextInt(edges.size())) : random.nextLong());
        }
        return List.copyOf(amounts.subList(0, count));
    }

    /**
     * @return zero, negative, sub-millisecond, fractional-millisecond, huge and borderline durations,
     *     and the shortest and longest accepted ones
     */
    List<Duration> durations() {
        Set<Duration> durations = new LinkedHashSet<>(List.of(
                Duration.ZERO,
                Duration.ofNanos(-1),
                Duration.ofMillis(-1),
                Duration.ofSeconds(Long.MIN_VALUE),
                Duration.ofNanos(1),
                Duration.ofNanos(999_999),
                Duration.ofMillis(1),
                Duration.ofNanos(1_500_000),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                Duration.ofSeconds(Long.MAX_VALUE),
                Duration.ofMillis(Long.MAX_VALUE),
                Inputs.MAX_DURATION,
                Inputs.MAX_DURATION.plusNanos(1),
                Duration.ofMillis(1 + random.nextInt(1_000_000))));
        return List.copyOf(durations);
    }

    /**
     * @param duration a duration
     * @return whether {@link Inputs#requirePositive(Duration, String)} must accept it: at least 1 ms,
     *     at most {@link Inputs#MAX_DURATION}
     */
    static boolean isValidPositive(Duration duration) {
        return duration.compareTo(Duration.ofMillis(1)) >= 0 && duration.compareTo(Inputs.MAX_DURATION) <= 0;
    }

    /**
     * @param index the case
     * @return the name a failure shows: the seed to replay and the case
     */
    String caseName(int index) {
        return "seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + "), case " + index;
    }

    /**
     * Runs one generated case, so that its failure, an assertion or an unexpected exception, names
     * the case and the seed to replay it. A skip (the backend's server is missing) passes through
     * unchanged: it is no failure of the case.
     *
     * @param name the case, from {@link #caseName} or {@link GeneratedKey#toString}
     * @param step the case's checks
     */
    static void named(String name, Runnable step) {
        try {
            step.run();
        } catch (TestAbortedException skip) {
            throw skip;
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError(name + ": " + failure, failure);
        }
    }

    /**
     * @param parameter the parameter the caller got wrong
     * @param rejection what the library threw
     */
    static void assertNames(String parameter, IllegalArgumentException rejection) {
        assertTrue(rejection.getMessage().startsWith(parameter + " "),
                () -> "the message names " + parameter + ": " + rejection.getMessage());
    }

    /**
     * Keys a sloppy store might have written instead of a rejected one: cut before the first bad
     * character, with the bad characters dropped or replaced, or truncated to the length limit.
     *
     * @param key a key the rules reject
     * @return the valid look-alikes, which a rejected call must leave untouched
     */
    static Set<String> shadows(String key) {
        Set<String> shadows = new LinkedHashSet<>();
        StringBuilder dropped = new StringBuilder();
        StringBuilder questioned = new StringBuilder();
        StringBuilder replaced = new StringBuilder();
        int firstBad = -1;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1));
            if (pair) {
                String both = key.substring(i, i + 2);
                dropped.append(both);
                questioned.append(both);
                replaced.append(both);
                i++;
            } else if (c == '\0' || Character.isSurrogate(c)) {
                firstBad = firstBad < 0 ? i : firstBad;
                questioned.append('?');
                replaced.append('\uFFFD');
            } else {
                dropped.append(c);
                questioned.append(c);
                replaced.append(c);
            }
        }
        if (firstBad >= 0) {
            shadows.add(key.substring(0, firstBad));
        }
        shadows.add(dropped.toString());
        shadows.add(questioned.toString());
        shadows.add(replaced.toString());
        shadows.add(truncatedToLimit(dropped.toString()));
        shadows.removeIf(shadow -> shadow.equals(key) || !isValidKey(shadow));
        return shadows;
    }

    /** The rules of {@link Inputs#requireKey}, written out independently. */
    private static boolean isValidKey(String key) {
        if (key.isBlank() || key.indexOf('\0') >= 0) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return key.getBytes(UTF_8).length <= Inputs.MAX_KEY_BYTES;
    }

    private static String truncatedToLimit(String key) {
        int bytes = 0;
        int end = 0;
        while (end < key.length()) {
            int codePoint = key.codePointAt(end);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > Inputs.MAX_KEY_BYTES) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return key.substring(0, end);
    }

    /**
     * One generated key.
     *
     * @param name the seed and case, for failure messages
     * @param key the key
     * @param valid whether the rules accept it: accepted keys must round-trip exactly, the others be
     *     rejected with {@code IllegalArgumentException} before any effect
     */
    record GeneratedKey(String name, String key, boolean valid) {
        @Override
        public String toString() {
            return name + " " + ContractKeys.printable(key.length() > 80 ? key.substring(0, 80) + "..." : key);
        }
    }
}
