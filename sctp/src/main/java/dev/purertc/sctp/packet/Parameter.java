package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A type-length-value parameter carried in INIT, INIT ACK, HEARTBEAT and RE-CONFIG chunks
 * (RFC 9260 §3.2.1): Type (16 bits), Length (16), Value, zero padding to a multiple of 4 bytes.
 * Records holding a {@code byte[]} do not copy it: do not modify it afterwards.
 */
public sealed interface Parameter permits StateCookieParameter, HeartbeatInfoParameter,
        SupportedExtensionsParameter, ForwardTsnSupportedParameter, ZeroChecksumAcceptableParameter,
        UnrecognizedParameter, CookiePreservativeParameter, OutgoingSsnResetRequestParameter,
        IncomingSsnResetRequestParameter, SsnTsnResetRequestParameter, ReconfigurationResponseParameter,
        AddOutgoingStreamsRequestParameter, AddIncomingStreamsRequestParameter, UnknownParameter {

    /** Type and Length: RFC 9260 §3.2.1. */
    int HEADER_LENGTH = 4;

    /** The parameter type number (see {@link ParameterType}). */
    int type();

    /** The value of the Length field: header plus value, padding excluded. */
    int length();

    /** Bytes this parameter occupies, padding included. Cheap: never allocates. */
    default int encodedLength() {
        return Wire.pad4(length());
    }

    /** Writes exactly {@link #encodedLength()} bytes at the position of a big-endian buffer. */
    void writeTo(ByteBuffer out);

    /** The first parameter of the given class in the list, if any. */
    static <T extends Parameter> Optional<T> find(List<? extends Parameter> parameters, Class<T> type) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (type.isInstance(p)) {
                return Optional.of(type.cast(p));
            }
        }
        return Optional.empty();
    }
}
