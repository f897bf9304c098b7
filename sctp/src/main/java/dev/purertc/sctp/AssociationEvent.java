package dev.purertc.sctp;

import java.util.List;

/** What an {@link Association} reports through {@link Association#pollEvent()}. */
public sealed interface AssociationEvent {

    /** The handshake completed (RFC 9260 §5.1): data can flow. */
    record Connected() implements AssociationEvent {}

    /** A complete user message. The payload array belongs to the receiver. */
    record MessageReceived(int streamId, long ppid, boolean unordered, byte[] payload) implements AssociationEvent {}

    /**
     * The peer sent a message this association refuses (over its {@code maxMessageSize}, RFC 8841 §6).
     * What arrived of it was dropped, and so is everything else arriving on the stream until the peer
     * resets it (RFC 6525); the association and the other streams go on. Reported once per stream.
     *
     * @param bytes how much of the message had arrived when it was refused
     */
    record OversizedMessageDropped(int streamId, long bytes, long maxMessageSize, String reason)
            implements AssociationEvent {}

    /** The peer reset these incoming streams (RFC 6525): their SSNs start again at 0. */
    record IncomingStreamsReset(List<Integer> streamIds) implements AssociationEvent {}

    /** Our reset of these outgoing streams was performed by the peer. */
    record OutgoingStreamsReset(List<Integer> streamIds) implements AssociationEvent {}

    /** The peer refused to reset these outgoing streams. */
    record StreamsResetFailed(List<Integer> streamIds, String reason) implements AssociationEvent {}

    /** The stream's buffered amount fell to or below its low threshold. */
    record BufferedAmountLow(int streamId) implements AssociationEvent {}

    /** Graceful shutdown finished (RFC 9260 §9.2); the association is closed. */
    record Closed() implements AssociationEvent {}

    /**
     * The association was aborted, by the peer's ABORT or by {@link Association#abort}.
     *
     * @param userInitiated the application on the aborting side asked for it ({@link Association#abort}, or
     *                      a peer ABORT with no cause or only a User-Initiated Abort cause, RFC 9260
     *                      §3.3.10.12, which is what browsers send when their peer connection closes);
     *                      false when a protocol error caused it (a Protocol Violation cause, say)
     */
    record Aborted(boolean byPeer, String reason, boolean userInitiated) implements AssociationEvent {
        /** An abort the application asked for. */
        public Aborted(boolean byPeer, String reason) {
            this(byPeer, reason, true);
        }
    }

    /** The association failed: the peer is unreachable or the handshake gave up (RFC 9260 §8.1, §5.1). */
    record Failed(String reason) implements AssociationEvent {}

    /** The peer restarted the association (RFC 9260 §5.2.4 case A); unacked data may be lost. */
    record Restarted() implements AssociationEvent {}

    /** The peer reported an error in an ERROR chunk (RFC 9260 §3.3.10); informational. */
    record PeerError(String description) implements AssociationEvent {}
}
