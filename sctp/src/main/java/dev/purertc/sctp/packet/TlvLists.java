package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the parameter and error-cause lists that fill the variable part of a chunk.
 * RFC 9260 §3.2: a chunk's Length counts the padding of every TLV except the last, so the last TLV's
 * padding may or may not lie inside the chunk; both are accepted.
 */
final class TlvLists {
    private TlvLists() {
    }

    /** Bytes the list adds to a chunk's Length field (the last TLV's padding excluded). */
    static int parametersLength(List<Parameter> parameters) {
        int n = parameters.size();
        if (n == 0) {
            return 0;
        }
        int total = 0;
        for (int i = 0; i < n - 1; i++) {
            total += parameters.get(i).encodedLength();
        }
        return total + parameters.get(n - 1).length();
    }

    static void writeParameters(ByteBuffer out, List<Parameter> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).writeTo(out);
        }
    }

    static int causesLength(List<ErrorCause> causes) {
        int n = causes.size();
        if (n == 0) {
            return 0;
        }
        int total = 0;
        for (int i = 0; i < n - 1; i++) {
            total += causes.get(i).encodedLength();
        }
        return total + causes.get(n - 1).length();
    }

    static void writeCauses(ByteBuffer out, List<ErrorCause> causes) {
        for (int i = 0; i < causes.size(); i++) {
            causes.get(i).writeTo(out);
        }
    }

    /** Parses the parameters in [{@code from}, {@code end}) of the buffer. */
    static List<Parameter> parseParameters(ByteBuffer b, int from, int end) throws SctpPacketException {
        List<Parameter> parameters = new ArrayList<>(4);
        int at = from;
        while (at < end) {
            int tlvEnd = tlvEnd(b, at, end, "parameter");
            parameters.add(parseParameter(b, at, tlvEnd));
            at = Math.min(Wire.pad4(tlvEnd - at) + at, end);
        }
        return parameters;
    }

    /** Parses the error causes in [{@code from}, {@code end}) of the buffer. */
    static List<ErrorCause> parseCauses(ByteBuffer b, int from, int end) throws SctpPacketException {
        List<ErrorCause> causes = new ArrayList<>(2);
        int at = from;
        while (at < end) {
            int tlvEnd = tlvEnd(b, at, end, "error cause");
            causes.add(parseCause(b, at, tlvEnd));
            at = Math.min(Wire.pad4(tlvEnd - at) + at, end);
        }
        return causes;
    }

    private static int tlvEnd(ByteBuffer b, int at, int end, String what) throws SctpPacketException {
        if (end - at < 4) {
            throw new SctpPacketException("truncated " + what + " header: " + (end - at) + " bytes left", at);
        }
        int length = Wire.u16(b, at + 2);
        if (length < 4) {
            throw new SctpPacketException(what + " length " + length + " is below 4", at + 2);
        }
        if (length > end - at) {
            throw new SctpPacketException(what + " length " + length + " exceeds the " + (end - at)
                    + " bytes left in its chunk", at + 2);
        }
        return at + length;
    }

    private static Parameter parseParameter(ByteBuffer b, int start, int end) throws SctpPacketException {
        return switch (Wire.u16(b, start)) {
            case ParameterType.HEARTBEAT_INFO -> HeartbeatInfoParameter.parse(b, start, end);
            case ParameterType.STATE_COOKIE -> StateCookieParameter.parse(b, start, end);
            case ParameterType.UNRECOGNIZED_PARAMETER -> UnrecognizedParameter.parse(b, start, end);
            case ParameterType.COOKIE_PRESERVATIVE -> CookiePreservativeParameter.parse(b, start, end);
            case ParameterType.OUTGOING_SSN_RESET_REQUEST -> OutgoingSsnResetRequestParameter.parse(b, start, end);
            case ParameterType.INCOMING_SSN_RESET_REQUEST -> IncomingSsnResetRequestParameter.parse(b, start, end);
            case ParameterType.SSN_TSN_RESET_REQUEST -> SsnTsnResetRequestParameter.parse(b, start, end);
            case ParameterType.RECONFIGURATION_RESPONSE -> ReconfigurationResponseParameter.parse(b, start, end);
            case ParameterType.ADD_OUTGOING_STREAMS_REQUEST -> AddOutgoingStreamsRequestParameter.parse(b, start, end);
            case ParameterType.ADD_INCOMING_STREAMS_REQUEST -> AddIncomingStreamsRequestParameter.parse(b, start, end);
            case ParameterType.ZERO_CHECKSUM_ACCEPTABLE -> ZeroChecksumAcceptableParameter.parse(b, start, end);
            case ParameterType.SUPPORTED_EXTENSIONS -> SupportedExtensionsParameter.parse(b, start, end);
            case ParameterType.FORWARD_TSN_SUPPORTED -> ForwardTsnSupportedParameter.parse(b, start, end);
            default -> UnknownParameter.parse(b, start, end);
        };
    }

    private static ErrorCause parseCause(ByteBuffer b, int start, int end) throws SctpPacketException {
        return switch (Wire.u16(b, start)) {
            case ErrorCauseCode.INVALID_STREAM_IDENTIFIER -> InvalidStreamIdentifierCause.parse(b, start, end);
            case ErrorCauseCode.MISSING_MANDATORY_PARAMETER -> MissingMandatoryParameterCause.parse(b, start, end);
            case ErrorCauseCode.STALE_COOKIE_ERROR -> StaleCookieCause.parse(b, start, end);
            case ErrorCauseCode.OUT_OF_RESOURCE -> OutOfResourceCause.parse(b, start, end);
            case ErrorCauseCode.UNRESOLVABLE_ADDRESS -> UnresolvableAddressCause.parse(b, start, end);
            case ErrorCauseCode.UNRECOGNIZED_CHUNK_TYPE -> UnrecognizedChunkTypeCause.parse(b, start, end);
            case ErrorCauseCode.INVALID_MANDATORY_PARAMETER -> InvalidMandatoryParameterCause.parse(b, start, end);
            case ErrorCauseCode.UNRECOGNIZED_PARAMETERS -> UnrecognizedParametersCause.parse(b, start, end);
            case ErrorCauseCode.NO_USER_DATA -> NoUserDataCause.parse(b, start, end);
            case ErrorCauseCode.COOKIE_RECEIVED_WHILE_SHUTTING_DOWN ->
                    CookieReceivedWhileShuttingDownCause.parse(b, start, end);
            case ErrorCauseCode.RESTART_OF_AN_ASSOCIATION_WITH_NEW_ADDRESSES ->
                    RestartWithNewAddressesCause.parse(b, start, end);
            case ErrorCauseCode.USER_INITIATED_ABORT -> UserInitiatedAbortCause.parse(b, start, end);
            case ErrorCauseCode.PROTOCOL_VIOLATION -> ProtocolViolationCause.parse(b, start, end);
            default -> UnknownCause.parse(b, start, end);
        };
    }
}
