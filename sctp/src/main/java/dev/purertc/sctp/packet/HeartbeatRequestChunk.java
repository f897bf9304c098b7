package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** HEARTBEAT chunk (RFC 9260 §3.3.5): carries one Heartbeat Info parameter the peer reflects. */
public record HeartbeatRequestChunk(List<Parameter> parameters) implements Chunk {
    public static final int TYPE = ChunkType.HEARTBEAT;

    public HeartbeatRequestChunk {
        parameters = List.copyOf(parameters);
        Wire.checkTlvLength("HEARTBEAT chunk", HEADER_LENGTH + TlvLists.parametersLength(parameters));
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

    static HeartbeatRequestChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        return new HeartbeatRequestChunk(TlvLists.parseParameters(b, start + HEADER_LENGTH, end));
    }
}
