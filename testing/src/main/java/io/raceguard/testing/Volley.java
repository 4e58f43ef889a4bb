package io.raceguard.testing;

import java.util.List;

/**
 * Fires one round of concurrent calls: in-process workers or HTTP requests. The rounds, the
 * invariants, shrinking and reporting around it are the same for both.
 *
 * @param <T> the type of value each call returns
 */
interface Volley<T> {

    /**
     * Fires {@code times} calls released together and waits for them (bounded by the call timeout).
     *
     * @param number the round's number, for the result
     * @param times how many calls
     * @return what the calls did
     * @throws InterruptedException if interrupted while waiting
     * @throws HammerException if the round could not be fired at all
     */
    Round<T> fire(int number, int times) throws InterruptedException;

    /** @return how the calls are made, for the report: "20 calls on virtual threads" */
    String describe(int times);

    /**
     * @param rounds the rounds of the main run
     * @return warnings that the rounds may not have overlapped as much as they seem to, for the report
     */
    List<String> warnings(List<Round<T>> rounds);
}
