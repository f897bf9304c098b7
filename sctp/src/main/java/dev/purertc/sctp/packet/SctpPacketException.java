package dev.purertc.sctp.packet;

/**
 * Thrown when bytes received from the network are not a well-formed SCTP packet, chunk, parameter
 * or error cause. The message says what was wrong; {@link #offset()} says where, counted in bytes
 * from the first byte of the packet (the common header).
 */
public final class SctpPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public SctpPacketException(String what, int offset) {
        super(what + " at offset " + offset);
        this.offset = offset;
    }

    /** Byte offset from the start of the packet where the problem was found. */
    public int offset() {
        return offset;
    }
}
