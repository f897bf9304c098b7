package dev.purertc.sctp.rx;

/** The peer sent a message larger than our maximum message size; the association must not buffer it. */
public final class MessageTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String message) {
        super(message);
    }
}
