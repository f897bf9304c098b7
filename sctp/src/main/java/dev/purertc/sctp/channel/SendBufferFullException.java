package dev.purertc.sctp.channel;

/**
 * The association's send buffer cannot take the message; nothing was sent. Apply back-pressure with
 * {@link DataChannel#bufferedAmount()} and the buffered-amount-low event.
 */
public final class SendBufferFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SendBufferFullException(long size) {
        super("send buffer full: cannot queue " + size + " more bytes");
    }
}
