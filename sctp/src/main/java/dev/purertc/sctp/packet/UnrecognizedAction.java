package dev.purertc.sctp.packet;

/**
 * What a receiver does with a chunk or parameter type it does not understand, encoded in the two
 * highest bits of the type (RFC 9260 §3.2 for chunks, §3.2.1 for parameters).
 */
public enum UnrecognizedAction {
    /** 00: stop processing (the packet for a chunk, the chunk for a parameter), report nothing. */
    STOP(false, false),
    /** 01: stop processing and report it (ERROR chunk, or Unrecognized Parameter in INIT ACK). */
    STOP_AND_REPORT(false, true),
    /** 10: skip it and continue processing, report nothing. */
    SKIP(true, false),
    /** 11: skip it, continue processing, and report it. */
    SKIP_AND_REPORT(true, true);

    private static final UnrecognizedAction[] BY_BITS = values();

    private final boolean skip;
    private final boolean report;

    UnrecognizedAction(boolean skip, boolean report) {
        this.skip = skip;
        this.report = report;
    }

    /** True when processing continues after the unrecognized item. */
    public boolean skip() {
        return skip;
    }

    /** True when the unrecognized item must be reported to the peer. */
    public boolean report() {
        return report;
    }

    /** RFC 9260 §3.2: the action is in the two highest bits of the 8-bit chunk type. */
    public static UnrecognizedAction forChunkType(int chunkType) {
        return BY_BITS[(chunkType >>> 6) & 3];
    }

    /** RFC 9260 §3.2.1: the action is in the two highest bits of the 16-bit parameter type. */
    public static UnrecognizedAction forParameterType(int parameterType) {
        return BY_BITS[(parameterType >>> 14) & 3];
    }
}
