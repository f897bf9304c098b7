package dev.purertc.sctp.rx;

/**
 * A message arrived on {@code streamId} that the receiver refuses: larger than its maximum message size
 * (RFC 8841 §6: the peer ignored the advertised {@code a=max-message-size}), or cut into implausibly
 * small fragments. What arrived of it was dropped.
 *
 * @param streamId       the stream it came on
 * @param bytes          how much of the message had arrived when it was refused (over the limit: at
 *                       least {@code maxMessageSize + 1})
 * @param maxMessageSize the receiver's limit
 * @param reason         the above in words, for logs and error events
 */
public record OversizedMessage(int streamId, long bytes, long maxMessageSize, String reason) {
}
