package dev.purertc.channel;

/**
 * Events of one {@link RTCDataChannel}, as the browser's {@code onopen}, {@code onmessage},
 * {@code onbufferedamountlow}, {@code onclosing}, {@code onclose} and {@code onerror}.
 *
 * <p>Threading: every call runs on the connection's event loop (shared with other connections of
 * the same {@link PeerConnectionFactory}), one at a time, in protocol order. Implementations must
 * return quickly and never block; they may call {@link RTCDataChannel#send} and
 * {@link RTCDataChannel#close()}, which run inline when called on the loop.
 */
public interface RTCDataChannelListener {

    default void onOpen(RTCDataChannel channel) {
    }

    /** A text message (PPID 51, or 56 for the empty string). */
    default void onMessage(RTCDataChannel channel, String text) {
    }

    /** A binary message (PPID 53, or 57 for an empty one). The array belongs to the listener. */
    default void onMessage(RTCDataChannel channel, byte[] data) {
    }

    /** {@link RTCDataChannel#bufferedAmount()} fell from above the low threshold to at most it. */
    default void onBufferedAmountLow(RTCDataChannel channel) {
    }

    default void onClosing(RTCDataChannel channel) {
    }

    default void onClose(RTCDataChannel channel) {
    }

    default void onError(RTCDataChannel channel, String error) {
    }
}
