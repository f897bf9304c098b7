package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;

/** ERROR chunk (RFC 9260 §3.3.10): one or more error causes; the association stays up. */
public record ErrorChunk(List<ErrorCause> causes) implements Chunk {
    public static final int TYPE = ChunkType.ERROR;

    public ErrorChunk {
        causes = List.copyOf(causes);
        Wire.checkTlvLength("ERROR chunk", HEADER_LENGTH + TlvLists.causesLength(causes));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + TlvLists.causesLength(causes);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) length());
        TlvLists.writeCauses(out, causes);
    }

    static ErrorChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        return new ErrorChunk(TlvLists.parseCauses(b, start + HEADER_LENGTH, end));
    }
}
