package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Heartbeat Info parameter (RFC 9260 §3.3.5): sender-specific bytes the peer reflects in HEARTBEAT ACK.
 * The array is not copied: the caller must not modify it after construction.
 */
public record HeartbeatInfoParameter(byte[] info) implements Parameter {
    public static final int TYPE = ParameterType.HEARTBEAT_INFO;

    public HeartbeatInfoParameter {
        Objects.requireNonNull(info, "info");
        Wire.checkTlvLength("HeartbeatInfoParameter", HEADER_LENGTH + info.length);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + info.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length()).put(info);
        Wire.writePadding(out, length());
    }

    static HeartbeatInfoParameter parse(ByteBuffer b, int start, int end) {
        return new HeartbeatInfoParameter(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeartbeatInfoParameter other && Arrays.equals(info, other.info);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return "HeartbeatInfoParameter[info=" + Wire.sizeOf(info) + "]";
    }
}
