package dev.purertc.sctp.packet;

/** Parameter type numbers, named as the RFCs name them. */
public final class ParameterType {
    private ParameterType() {
    }

    /** RFC 9260 §3.3.5 Heartbeat Info. */
    public static final int HEARTBEAT_INFO = 1;
    /** RFC 9260 §3.3.2.1 IPv4 Address (never sent over DTLS, RFC 8261 §5; parsed as unknown). */
    public static final int IPV4_ADDRESS = 5;
    /** RFC 9260 §3.3.2.1 IPv6 Address (never sent over DTLS; parsed as unknown). */
    public static final int IPV6_ADDRESS = 6;
    /** RFC 9260 §3.3.3.1 State Cookie. */
    public static final int STATE_COOKIE = 7;
    /** RFC 9260 §3.3.3.1 Unrecognized Parameter. */
    public static final int UNRECOGNIZED_PARAMETER = 8;
    /** RFC 9260 §3.3.2.1 Cookie Preservative. */
    public static final int COOKIE_PRESERVATIVE = 9;
    /** RFC 9260 §3.3.2.1 Host Name Address (deprecated; parsed as unknown). */
    public static final int HOST_NAME_ADDRESS = 11;
    /** RFC 9260 §3.3.2.1 Supported Address Types (parsed as unknown). */
    public static final int SUPPORTED_ADDRESS_TYPES = 12;
    /** RFC 6525 §4.1 Outgoing SSN Reset Request. */
    public static final int OUTGOING_SSN_RESET_REQUEST = 13;
    /** RFC 6525 §4.2 Incoming SSN Reset Request. */
    public static final int INCOMING_SSN_RESET_REQUEST = 14;
    /** RFC 6525 §4.3 SSN/TSN Reset Request. */
    public static final int SSN_TSN_RESET_REQUEST = 15;
    /** RFC 6525 §4.4 Re-configuration Response. */
    public static final int RECONFIGURATION_RESPONSE = 16;
    /** RFC 6525 §4.5 Add Outgoing Streams Request. */
    public static final int ADD_OUTGOING_STREAMS_REQUEST = 17;
    /** RFC 6525 §4.6 Add Incoming Streams Request. */
    public static final int ADD_INCOMING_STREAMS_REQUEST = 18;
    /** RFC 9653 §4 Zero Checksum Acceptable. */
    public static final int ZERO_CHECKSUM_ACCEPTABLE = 0x8001;
    /** RFC 5061 §4.2.7 Supported Extensions. */
    public static final int SUPPORTED_EXTENSIONS = 0x8008;
    /** RFC 3758 §3.1 Forward-TSN-Supported. */
    public static final int FORWARD_TSN_SUPPORTED = 0xC000;
}
