package io.raceguard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A volley that fires nothing: each round's values come from a script, released {@code skewMicros}
 * apart from first to last, so that reports can be checked word for word.
 */
final class ScriptedVolley<T> implements Volley<T> {

    /** Decides what each call of a round returns. */
    @FunctionalInterface
    interface Script<T> {
        /**
         * @param round the round's number in the run of this size
         * @param times the number of calls
         * @param worker the call
         * @return its value
         */
        T value(int round, int times, int worker);
    }

    private final Script<T> script;
    private final long skewMicros;
    private final AtomicInteger fired = new AtomicInteger();

    ScriptedVolley(Script<T> script, long skewMicros) {
        this.script = script;
        this.skewMicros = skewMicros;
    }

    @Override
    public Round<T> fire(int number, int times) {
        fired.incrementAndGet();
        List<CallResult<T>> calls = new ArrayList<>(times);
        for (int worker = 0; worker < times; worker++) {
            long releasedAt = worker == times - 1 ? skewMicros * 1_000 : 0;
            calls.add(CallResult.returned(worker, script.value(number, times, worker), releasedAt, 1_000, -1));
        }
        return Round.measured(number, calls);
    }

    @Override
    public String describe(int times) {
        return times + " scripted calls";
    }

    @Override
    public List<String> warnings(List<Round<T>> rounds) {
        return List.of();
    }

    /** @return how many rounds were fired, shrinking's included */
    int fired() {
        return fired.get();
    }
}
