package dev.purertc.signaling;

/**
 * Events of a {@link SignalingClient}. Called on the client's Netty event loop thread, in the order
 * the messages arrived: do not block in them (hand long work to another executor).
 */
public interface SignalingListener {

    /** A message the client did not consume itself (see {@link SignalingMessage}). */
    void onMessage(SignalingMessage message);

    /**
     * The connection closed. {@code statusCode} is the WebSocket close status the server sent
     * (e.g. 1009 for an oversized message, 1001 after the idle timeout, 1008 for a client that stopped
     * reading), or -1 when the connection ended without a close frame.
     */
    default void onClose(int statusCode, String reason) {
    }
}
