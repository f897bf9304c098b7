package dev.purertc.sctp;

/** Outcome of {@link Association#send}. */
public enum SendStatus {
    /** Queued; it will be fragmented and sent as the windows allow. */
    SUCCESS,
    /** Larger than {@link SctpOptions#maxMessageSize()}; nothing was queued. */
    MESSAGE_TOO_LARGE,
    /** The send buffer ({@link SctpOptions#sendBufferSize()}) is full; retry after buffered-amount-low. */
    SEND_BUFFER_FULL,
    /** The stream's outgoing side is being reset (closing); nothing was queued. */
    STREAM_RESETTING,
    /** The association is shutting down or closed; nothing was queued. */
    NOT_CONNECTED,
    /** An empty message: SCTP cannot carry one (RFC 9260 §6.2, No User Data); nothing was queued. */
    EMPTY_MESSAGE
}
