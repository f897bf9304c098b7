package dev.purertc.sctp.tx;

/**
 * One user message waiting to be fragmented into DATA chunks, with its partial-reliability limits
 * (RFC 3758 §3.1). Mutable progress state is owned by the {@link SendQueue}.
 */
public final class OutgoingMessage {
    final int streamId;
    final long ppid;
    final byte[] payload;
    final boolean unordered;
    /** Maximum retransmissions of any fragment before the message is abandoned; -1 unlimited. */
    final int maxRetransmits;
    /** Time (nanos) after which the message is abandoned; Long.MAX_VALUE means never. */
    final long expiresAt;
    int ssn;
    /** Unwrapped TSNs of the first and latest fragment sent so far. */
    long firstTsn = Long.MAX_VALUE;
    long lastTsn = Long.MIN_VALUE;
    int offset;
    boolean abandoned;

    public OutgoingMessage(int streamId, long ppid, byte[] payload, boolean unordered, int maxRetransmits,
            long expiresAt) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.payload = payload;
        this.unordered = unordered;
        this.maxRetransmits = maxRetransmits;
        this.expiresAt = expiresAt;
    }

    public int streamId() {
        return streamId;
    }

    public boolean isAbandoned() {
        return abandoned;
    }

    boolean hasPartialReliability() {
        return maxRetransmits >= 0 || expiresAt != Long.MAX_VALUE;
    }

    boolean isFullySent() {
        return offset >= payload.length;
    }
}
