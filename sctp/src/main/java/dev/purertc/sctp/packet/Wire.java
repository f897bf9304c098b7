package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Bounds-aware big-endian field access and range checks shared by the codec. */
final class Wire {
    private Wire() {
    }

    static int u8(ByteBuffer b, int index) {
        return b.get(index) & 0xFF;
    }

    static int u16(ByteBuffer b, int index) {
        return b.getShort(index) & 0xFFFF;
    }

    static long u32(ByteBuffer b, int index) {
        return b.getInt(index) & 0xFFFF_FFFFL;
    }

    /** Copies {@code length} bytes starting at absolute {@code index}. */
    static byte[] bytes(ByteBuffer b, int index, int length) {
        byte[] copy = new byte[length];
        b.get(index, copy);
        return copy;
    }

    /** Rounds up to the 4-byte boundary every chunk, parameter and cause is padded to (RFC 9260 §3.2). */
    static int pad4(int length) {
        return (length + 3) & ~3;
    }

    /** Writes the zero padding that follows a TLV of the given unpadded length. */
    static void writePadding(ByteBuffer out, int unpaddedLength) {
        switch (pad4(unpaddedLength) - unpaddedLength) {
            case 3 -> out.put((byte) 0).putShort((short) 0);
            case 2 -> out.putShort((short) 0);
            case 1 -> out.put((byte) 0);
            default -> {
            }
        }
    }

    static void checkU8(String field, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(field + " " + value + " is not an unsigned 8-bit value");
        }
    }

    static void checkU16(String field, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(field + " " + value + " is not an unsigned 16-bit value");
        }
    }

    static void checkU32(String field, long value) {
        if ((value & ~0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException(field + " " + value + " is not an unsigned 32-bit value");
        }
    }

    /** A TLV length field is 16 bits wide: a value longer than that cannot be encoded. */
    static void checkTlvLength(String what, int length) {
        if (length > 0xFFFF) {
            throw new IllegalArgumentException(what + " would be " + length + " bytes, more than a 16-bit length allows");
        }
    }

    static String sizeOf(byte[] bytes) {
        return bytes.length + " bytes";
    }
}
