package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** HEARTBEAT ACK chunk (RFC 9260 §3.3.6): reflects the Heartbeat Info of the HEARTBEAT it answers. */
public record HeartbeatAckChunk(List<Parameter> parameters) implements Chunk {
    public static final int TYPE = ChunkType.HEARTBEAT_ACK;

    public HeartbeatAckChunk {
        parameters = List.copyOf(parameters);
        Wire.checkTlvLength("HEARTBEAT_ACK chunk", HEADER_LENGTH + TlvLists.parametersLength(parameters));
    }

    /** The first parameter of the given class, if present. */
    public <T extends Parameter> Optional<T> parameter(Class<T> type) {
        return Parameter.find(parameters, type);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + TlvLists.parametersLength(parameters);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) length());
        TlvLists.writeParameters(out, parameters);
    }

    static HeartbeatAckChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        return new HeartbeatAckChunk(TlvLists.parseParameters(b, start + HEADER_LENGTH, end));
    }
}
