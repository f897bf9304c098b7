package dev.purertc.sctp.packet;

/** Error cause codes of RFC 9260 §3.3.10, named as the RFC names them. */
public final class ErrorCauseCode {
    private ErrorCauseCode() {
    }

    /** RFC 9260 §3.3.10.1. */
    public static final int INVALID_STREAM_IDENTIFIER = 1;
    /** RFC 9260 §3.3.10.2. */
    public static final int MISSING_MANDATORY_PARAMETER = 2;
    /** RFC 9260 §3.3.10.3. */
    public static final int STALE_COOKIE_ERROR = 3;
    /** RFC 9260 §3.3.10.4. */
    public static final int OUT_OF_RESOURCE = 4;
    /** RFC 9260 §3.3.10.5. */
    public static final int UNRESOLVABLE_ADDRESS = 5;
    /** RFC 9260 §3.3.10.6. */
    public static final int UNRECOGNIZED_CHUNK_TYPE = 6;
    /** RFC 9260 §3.3.10.7. */
    public static final int INVALID_MANDATORY_PARAMETER = 7;
    /** RFC 9260 §3.3.10.8. */
    public static final int UNRECOGNIZED_PARAMETERS = 8;
    /** RFC 9260 §3.3.10.9. */
    public static final int NO_USER_DATA = 9;
    /** RFC 9260 §3.3.10.10. */
    public static final int COOKIE_RECEIVED_WHILE_SHUTTING_DOWN = 10;
    /** RFC 9260 §3.3.10.11. */
    public static final int RESTART_OF_AN_ASSOCIATION_WITH_NEW_ADDRESSES = 11;
    /** RFC 9260 §3.3.10.12. */
    public static final int USER_INITIATED_ABORT = 12;
    /** RFC 9260 §3.3.10.13. */
    public static final int PROTOCOL_VIOLATION = 13;
}
