package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Supported Extensions parameter (RFC 5061 §4.2.7): one byte per chunk type the sender supports
 * beyond RFC 9260, e.g. RE-CONFIG (0x82) and FORWARD TSN (0xC0).
 */
public record SupportedExtensionsParameter(List<Integer> chunkTypes) implements Parameter {
    public static final int TYPE = ParameterType.SUPPORTED_EXTENSIONS;

    public SupportedExtensionsParameter {
        chunkTypes = List.copyOf(chunkTypes);
        for (int i = 0; i < chunkTypes.size(); i++) {
            Wire.checkU8("chunk type", chunkTypes.get(i));
        }
        Wire.checkTlvLength("SupportedExtensionsParameter", HEADER_LENGTH + chunkTypes.size());
    }

    /** True if the peer listed {@code chunkType}. */
    public boolean supports(int chunkType) {
        return chunkTypes.contains(chunkType);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + chunkTypes.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length());
        for (int i = 0; i < chunkTypes.size(); i++) {
            out.put((byte) (int) chunkTypes.get(i));
        }
        Wire.writePadding(out, length());
    }

    static SupportedExtensionsParameter parse(ByteBuffer b, int start, int end) {
        List<Integer> types = new ArrayList<>(end - start - HEADER_LENGTH);
        for (int i = start + HEADER_LENGTH; i < end; i++) {
            types.add(Wire.u8(b, i));
        }
        return new SupportedExtensionsParameter(types);
    }
}
