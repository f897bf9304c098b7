package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** RE-CONFIG chunk (RFC 6525 §3.1): one or two stream reset request or response parameters. */
public record ReConfigChunk(List<Parameter> parameters) implements Chunk {
    public static final int TYPE = ChunkType.RE_CONFIG;

    public ReConfigChunk {
        parameters = List.copyOf(parameters);
        Wire.checkTlvLength("RE_CONFIG chunk", HEADER_LENGTH + TlvLists.parametersLength(parameters));
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

    static ReConfigChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        return new ReConfigChunk(TlvLists.parseParameters(b, start + HEADER_LENGTH, end));
    }
}
