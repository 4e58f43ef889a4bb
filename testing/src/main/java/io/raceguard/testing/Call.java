package io.raceguard.testing;

/**
 * A call the hammer makes concurrently, told which worker it runs on so that each can act as its own
 * user ({@code i -> shop.redeem("SAVE20", "user-" + i)}).
 *
 * @param <T> the type of value the call returns
 */
@FunctionalInterface
public interface Call<T> {

    /**
     * @param worker the worker's index in its round, from 0 to {@code times - 1}
     * @return the call's result, which invariants then check
     * @throws Exception anything; a call that throws fails its round
     */
    T call(int worker) throws Exception;
}
