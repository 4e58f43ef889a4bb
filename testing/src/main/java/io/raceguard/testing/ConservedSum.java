package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** A sum read before and after each round stays the same. */
final class ConservedSum implements Invariant<Object> {

    private final String what;
    private final ThrowingSupplier<? extends Number> read;

    ConservedSum(String what, ThrowingSupplier<? extends Number> read) {
        this.what = Words.requireWords(what, "what");
        this.read = requireNonNull(read, "read");
    }

    @Override
    public String description() {
        return what + " conserved";
    }

    @Override
    public Check<Object> beforeRound() throws Exception {
        BigDecimal before = readNow();
        return round -> {
            BigDecimal after = readNow();
            return before.compareTo(after) == 0 ? Optional.empty() : Optional.of(Violation.of(what + " "
                    + before.toPlainString() + " before the round, " + after.toPlainString()
                            + " after (expected conserved)"));
        };
    }

    private BigDecimal readNow() throws Exception {
        try {
            return Decimals.of(read.get(), what);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) { // ThrowingSupplier may throw any Throwable
            throw new HammerException("reading " + what + " threw", e);
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
