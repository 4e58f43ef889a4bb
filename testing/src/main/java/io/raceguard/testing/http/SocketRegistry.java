package io.raceguard.testing.http;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every socket one volley opened, so that the coordinating thread can close them all: on success once
 * the responses are read, and on a failure or timeout to unblock the threads still waiting in a connect,
 * a write or a read. Thread-safe.
 */
final class SocketRegistry {

    private final List<Socket> sockets = new ArrayList<>();
    private boolean closed;

    /**
     * @return {@code socket}
     * @throws IOException if the registry was already closed; the socket is then closed too
     */
    <S extends Socket> S register(S socket) throws IOException {
        synchronized (sockets) {
            if (!closed) {
                sockets.add(socket);
                return socket;
            }
        }
        socket.close();
        throw new IOException("the volley was aborted");
    }

    /**
     * Closes every socket. Closing gracefully closes each TLS socket before its TCP socket, so that it
     * sends its close notification; aborting closes the TCP sockets first, so that no TLS socket waits on
     * a thread blocked in it.
     *
     * @param abort whether to cut the connections rather than close them gracefully
     */
    void closeAll(boolean abort) {
        List<Socket> toClose;
        synchronized (sockets) {
            closed = true;
            toClose = new ArrayList<>(sockets);
            sockets.clear();
        }
        if (!abort) {
            Collections.reverse(toClose);
        }
        for (Socket socket : toClose) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is best effort: the connection is unusable either way.
            }
        }
    }
}
