package dev.purertc.sctp.tx;

/** One DATA chunk's worth of a message, produced by the {@link SendQueue}. */
public record Fragment(OutgoingMessage message, int streamId, int ssn, long ppid, boolean unordered,
        boolean beginning, boolean ending, byte[] payload) {}
