package dev.purertc.sctp;

/**
 * Per-message send options: unordered delivery and the partial-reliability limits of RFC 3758
 * (at most one of the two limits is normally set, as WebRTC channels do).
 *
 * @param unordered deliver as soon as complete, ignoring SSN order (U bit, RFC 9260 §3.3.1)
 * @param maxRetransmits retransmissions of any fragment before the message is abandoned; -1 = no limit
 * @param lifetimeNanos time from {@code send} after which the message is abandoned; -1 = no limit
 */
public record SendOptions(boolean unordered, int maxRetransmits, long lifetimeNanos) {
    /** Reliable and ordered. */
    public static final SendOptions RELIABLE_ORDERED = new SendOptions(false, -1, -1);
    /** Reliable and unordered. */
    public static final SendOptions RELIABLE_UNORDERED = new SendOptions(true, -1, -1);

    public SendOptions {
        if (maxRetransmits < -1 || lifetimeNanos < -1) {
            throw new IllegalArgumentException("maxRetransmits and lifetimeNanos must be -1 (no limit) or >= 0");
        }
    }
}
