package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * ABORT chunk (RFC 9260 §3.3.7): zero or more error causes. The T bit (0x01) says the verification
 * tag of the packet is the sender's own tag, reflected, rather than the receiver's.
 */
public record AbortChunk(boolean tagReflected, List<ErrorCause> causes) implements Chunk {
    public static final int TYPE = ChunkType.ABORT;
    public static final int FLAG_T = 0x01;

    public AbortChunk {
        causes = List.copyOf(causes);
        Wire.checkTlvLength("ABORT chunk", HEADER_LENGTH + TlvLists.causesLength(causes));
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
        out.put((byte) TYPE).put((byte) (tagReflected ? FLAG_T : 0)).putShort((short) length());
        TlvLists.writeCauses(out, causes);
    }

    static AbortChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        return new AbortChunk((flags & FLAG_T) != 0, TlvLists.parseCauses(b, start + HEADER_LENGTH, end));
    }
}
