package dev.purertc.sdp;

/**
 * Thrown when SDP text or an ICE candidate line cannot be parsed, or when a description is not
 * usable for the purpose it was handed to.
 *
 * <p>This is a checked exception: every parser entry point of this module declares it, and it is
 * the only exception the parsers throw for any input, however malformed. It carries the 1-based
 * number of the offending line, or {@code 0} when the problem is not tied to one line (a missing
 * line or attribute, or a value built in code rather than parsed).
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String reason;

    /**
     * @param lineNumber 1-based line number, or 0 when the problem has no single line
     * @param reason what was wrong, in words
     */
    public SdpParseException(int lineNumber, String reason) {
        super(lineNumber > 0 ? "line " + lineNumber + ": " + reason : reason);
        this.lineNumber = Math.max(0, lineNumber);
        this.reason = reason;
    }

    /** The 1-based line number of the offending line, or 0 when the problem has no single line. */
    public int lineNumber() {
        return lineNumber;
    }

    /** What was wrong, without the line number prefix. */
    public String reason() {
        return reason;
    }
}
