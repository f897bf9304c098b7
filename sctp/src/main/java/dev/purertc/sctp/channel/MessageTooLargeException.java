package dev.purertc.sctp.channel;

/** A send larger than the channel's maxMessageSize; nothing was sent (the browser's TypeError). */
public final class MessageTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(long size, long maxMessageSize) {
        super("message of " + size + " bytes exceeds maxMessageSize " + maxMessageSize);
    }
}
