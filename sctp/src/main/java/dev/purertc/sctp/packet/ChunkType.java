package dev.purertc.sctp.packet;

/** Chunk type numbers, named as the RFCs name them. */
public final class ChunkType {
    private ChunkType() {
    }

    /** RFC 9260 §3.3.1 Payload Data. */
    public static final int DATA = 0;
    /** RFC 9260 §3.3.2 Initiation. */
    public static final int INIT = 1;
    /** RFC 9260 §3.3.3 Initiation Acknowledgement. */
    public static final int INIT_ACK = 2;
    /** RFC 9260 §3.3.4 Selective Acknowledgement. */
    public static final int SACK = 3;
    /** RFC 9260 §3.3.5 Heartbeat Request. */
    public static final int HEARTBEAT = 4;
    /** RFC 9260 §3.3.6 Heartbeat Acknowledgement. */
    public static final int HEARTBEAT_ACK = 5;
    /** RFC 9260 §3.3.7 Abort Association. */
    public static final int ABORT = 6;
    /** RFC 9260 §3.3.8 Shutdown Association. */
    public static final int SHUTDOWN = 7;
    /** RFC 9260 §3.3.9 Shutdown Acknowledgement. */
    public static final int SHUTDOWN_ACK = 8;
    /** RFC 9260 §3.3.10 Operation Error. */
    public static final int ERROR = 9;
    /** RFC 9260 §3.3.11 State Cookie. */
    public static final int COOKIE_ECHO = 10;
    /** RFC 9260 §3.3.12 Cookie Acknowledgement. */
    public static final int COOKIE_ACK = 11;
    /** RFC 9260 §3.3.13 Shutdown Complete. */
    public static final int SHUTDOWN_COMPLETE = 14;
    /** RFC 8260 §2.1 I-DATA (not supported: message interleaving is off; parsed as unknown). */
    public static final int I_DATA = 64;
    /** RFC 6525 §3.1 Re-configuration Chunk (RE-CONFIG). */
    public static final int RE_CONFIG = 130;
    /** RFC 3758 §3.2 Forward Cumulative TSN (FORWARD TSN). */
    public static final int FORWARD_TSN = 192;
    /** RFC 8260 §2.3 I-FORWARD-TSN (not supported; parsed as unknown). */
    public static final int I_FORWARD_TSN = 194;

    /** A readable name for logs, e.g. "SACK" or "UNKNOWN(64)". */
    public static String name(int type) {
        return switch (type) {
            case DATA -> "DATA";
            case INIT -> "INIT";
            case INIT_ACK -> "INIT ACK";
            case SACK -> "SACK";
            case HEARTBEAT -> "HEARTBEAT";
            case HEARTBEAT_ACK -> "HEARTBEAT ACK";
            case ABORT -> "ABORT";
            case SHUTDOWN -> "SHUTDOWN";
            case SHUTDOWN_ACK -> "SHUTDOWN ACK";
            case ERROR -> "ERROR";
            case COOKIE_ECHO -> "COOKIE ECHO";
            case COOKIE_ACK -> "COOKIE ACK";
            case SHUTDOWN_COMPLETE -> "SHUTDOWN COMPLETE";
            case RE_CONFIG -> "RE-CONFIG";
            case FORWARD_TSN -> "FORWARD TSN";
            default -> "UNKNOWN(" + type + ")";
        };
    }
}
