package dev.purertc.sctp.dcep;

/** Thrown when a DCEP message (RFC 8832) is malformed; says what was wrong and at which byte offset. */
public final class DcepParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public DcepParseException(String what, int offset) {
        super(what + " at offset " + offset);
        this.offset = offset;
    }

    /** Byte offset in the DCEP message where the problem was found. */
    public int offset() {
        return offset;
    }
}
