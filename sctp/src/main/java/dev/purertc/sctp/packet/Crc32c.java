package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The SCTP checksum (RFC 9260 §6.8, Appendix A): CRC32C over the packet with the Checksum field
 * counted as zero. The JDK's {@link CRC32C} is intrinsic (about 30 GB/s here). The reflected CRC
 * value goes on the wire least significant byte first: RFC 3720 B.4 lists 32 zero bytes as
 * "aa 36 91 8a" for the value 0x8A9136AA.
 */
final class Crc32c {
    private static final byte[] FOUR_ZEROS = new byte[4];

    private Crc32c() {
    }

    /** CRC32C of indexes [from, to) of {@code b}; leaves position and limit as they were. */
    static long compute(ByteBuffer b, int from, int to) {
        int position = b.position();
        int limit = b.limit();
        CRC32C crc = new CRC32C();
        b.limit(to).position(from);
        crc.update(b);
        b.limit(limit).position(position);
        return crc.getValue();
    }

    /** The checksum of the packet in indexes [start, end), its Checksum field counted as zero. */
    static long packetChecksum(ByteBuffer b, int start, int end) {
        int position = b.position();
        int limit = b.limit();
        CRC32C crc = new CRC32C();
        b.limit(start + SctpPacket.CHECKSUM_OFFSET).position(start);
        crc.update(b);
        crc.update(FOUR_ZEROS, 0, 4);
        b.limit(end).position(start + SctpPacket.COMMON_HEADER_LENGTH);
        crc.update(b);
        b.limit(limit).position(position);
        return crc.getValue();
    }

    /** Reads a checksum stored at absolute {@code index} (least significant byte first). */
    static long load(ByteBuffer b, int index) {
        return Integer.reverseBytes(b.getInt(index)) & 0xFFFF_FFFFL;
    }

    /** Stores {@code crc} at absolute {@code index} of a big-endian buffer, least significant byte first. */
    static void store(ByteBuffer b, int index, long crc) {
        b.putInt(index, Integer.reverseBytes((int) crc));
    }
}
