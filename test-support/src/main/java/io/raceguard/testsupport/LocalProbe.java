package io.raceguard.testsupport;

/** Says whether a server of some kind answers on its standard port on 127.0.0.1. */
@FunctionalInterface
interface LocalProbe {

    /**
     * @param kind the server to look for
     * @return true only if something accepts a connection there and answers as that server would;
     *     never throws, and returns within a bounded time
     */
    boolean answers(ServiceKind kind);
}
