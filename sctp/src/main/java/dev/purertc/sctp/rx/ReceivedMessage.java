package dev.purertc.sctp.rx;

/**
 * A complete user message reassembled from DATA chunks.
 * The payload array is handed over to the receiver, which owns it from then on.
 */
public record ReceivedMessage(int streamId, long ppid, boolean unordered, byte[] payload) {}
