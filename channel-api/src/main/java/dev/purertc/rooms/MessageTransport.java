package dev.purertc.rooms;

/**
 * Where a {@link ServiceEngine} writes its messages: one text message per call. Incoming messages
 * are handed to {@link ServiceEngine#receive(String)}. A room puts this on its service data channel;
 * tests put it on a queue.
 */
@FunctionalInterface
public interface MessageTransport {

    /**
     * Sends one text message.
     *
     * @throws IllegalStateException when nothing can carry it (e.g. no channel open)
     */
    void send(String message);
}
