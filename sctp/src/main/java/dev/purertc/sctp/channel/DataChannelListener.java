package dev.purertc.sctp.channel;

/**
 * Callbacks of one {@link DataChannel}. They run on the thread that drives the owning
 * {@link DataChannels} (its event loop), synchronously inside the call that caused them; they may
 * call back into the channel (send, close) but must not block.
 */
public interface DataChannelListener {
    default void onOpen(DataChannel channel) {}

    /** A text message (PPID 51, or 56 for the empty string). */
    default void onMessage(DataChannel channel, String text) {}

    /** A binary message (PPID 53, or 57 for an empty one). The array belongs to the listener. */
    default void onMessage(DataChannel channel, byte[] data) {}

    default void onBufferedAmountLow(DataChannel channel) {}

    default void onClosing(DataChannel channel) {}

    default void onClose(DataChannel channel) {}

    default void onError(DataChannel channel, String error) {}
}
