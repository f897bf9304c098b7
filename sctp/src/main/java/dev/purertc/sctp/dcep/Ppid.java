package dev.purertc.sctp.dcep;

/** SCTP Payload Protocol Identifiers used by WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1). */
public final class Ppid {
    private Ppid() {
    }

    /** WebRTC DCEP control messages. */
    public static final long DCEP = 50;
    /** WebRTC String (UTF-8). */
    public static final long STRING = 51;
    /** WebRTC Binary Partial (deprecated: parsed, never sent). */
    public static final long BINARY_PARTIAL = 52;
    /** WebRTC Binary. */
    public static final long BINARY = 53;
    /** WebRTC String Partial (deprecated: parsed, never sent). */
    public static final long STRING_PARTIAL = 54;
    /** WebRTC String Empty: the payload is a single zero byte that carries no data. */
    public static final long STRING_EMPTY = 56;
    /** WebRTC Binary Empty: the payload is a single zero byte that carries no data. */
    public static final long BINARY_EMPTY = 57;

    /** True for the PPIDs that carry a text message (51, 54, 56). */
    public static boolean isString(long ppid) {
        return ppid == STRING || ppid == STRING_PARTIAL || ppid == STRING_EMPTY;
    }

    /** True for the PPIDs that mark an empty message (56, 57). */
    public static boolean isEmpty(long ppid) {
        return ppid == STRING_EMPTY || ppid == BINARY_EMPTY;
    }
}
