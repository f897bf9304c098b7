package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An SCTP packet (RFC 9260 §3): the common header (Source Port, Destination Port, Verification Tag,
 * Checksum) followed by chunks. Immutable and safe to share between threads.
 *
 * <p><b>Ownership of parsed input:</b> to avoid copying user data, the payload of every parsed
 * {@link DataChunk} is a view of the input buffer's backing array (when it has an accessible one;
 * direct and read-only buffers are copied). The caller must not modify or reuse the input bytes while
 * the parsed packet's DATA chunks are in use. Every other chunk copies what it keeps.
 *
 * <p>The checksum is CRC32C (RFC 9260 §6.8, Appendix A). It is computed over the whole packet with
 * the checksum field set to zero and stored least significant byte first, which is how the reflected
 * CRC32C of RFC 3720 lands on the wire.
 */
public record SctpPacket(int sourcePort, int destinationPort, long verificationTag, List<Chunk> chunks) {
    /** RFC 9260 §3.1. */
    public static final int COMMON_HEADER_LENGTH = 12;
    /** Offset of the Checksum field in the common header. */
    public static final int CHECKSUM_OFFSET = 8;

    public SctpPacket {
        Wire.checkU16("sourcePort", sourcePort);
        Wire.checkU16("destinationPort", destinationPort);
        Wire.checkU32("verificationTag", verificationTag);
        chunks = List.copyOf(chunks);
    }

    /**
     * Parses the bytes between the buffer's position and limit, verifying the CRC32C checksum. The
     * buffer's position, limit and byte order are left unchanged. A packet of only a common header
     * parses to an empty chunk list (pion sends none, but accepts it); the association ignores it.
     *
     * @throws SctpPacketException if the bytes are not a well-formed packet or the checksum is wrong
     */
    public static SctpPacket parse(ByteBuffer data) throws SctpPacketException {
        return parse(data, false);
    }

    /**
     * Like {@link #parse(ByteBuffer)}; when {@code acceptZeroChecksum} is true a Checksum field of zero
     * is accepted without verification (RFC 9653 §5.3, only once both peers agreed to it), while a
     * non-zero checksum is still verified.
     */
    public static SctpPacket parse(ByteBuffer data, boolean acceptZeroChecksum) throws SctpPacketException {
        // Index 0 must be the first byte of the packet, big-endian: the common case (a wrapped array)
        // already is, anything else gets a slice.
        ByteBuffer b = data.position() == 0 && data.order() == ByteOrder.BIG_ENDIAN ? data : data.slice();
        int end = b.limit();
        if (end < COMMON_HEADER_LENGTH) {
            throw new SctpPacketException("packet of " + end + " bytes is shorter than the 12-byte common header", 0);
        }
        long stored = Crc32c.load(b, CHECKSUM_OFFSET);
        if (!(acceptZeroChecksum && stored == 0)) {
            long computed = Crc32c.packetChecksum(b, 0, end);
            if (computed != stored) {
                throw new SctpPacketException("CRC32C mismatch: packet carries 0x" + Long.toHexString(stored)
                        + ", bytes give 0x" + Long.toHexString(computed), CHECKSUM_OFFSET);
            }
        }
        // Most packets carry one chunk (a full DATA chunk, or a SACK): no list is built for those.
        Chunk first = null;
        List<Chunk> more = null;
        int at = COMMON_HEADER_LENGTH;
        while (at < end) {
            if (end - at < Chunk.HEADER_LENGTH) {
                throw new SctpPacketException("truncated chunk header: " + (end - at) + " bytes left", at);
            }
            int type = Wire.u8(b, at);
            int flags = Wire.u8(b, at + 1);
            int length = Wire.u16(b, at + 2);
            if (length < Chunk.HEADER_LENGTH) {
                throw new SctpPacketException(ChunkType.name(type) + " chunk length " + length + " is below 4", at + 2);
            }
            if (length > end - at) {
                throw new SctpPacketException(ChunkType.name(type) + " chunk length " + length + " exceeds the "
                        + (end - at) + " bytes left in the packet", at + 2);
            }
            Chunk chunk = parseChunk(b, type, flags, at, at + length);
            if (first == null) {
                first = chunk;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(chunk);
            }
            // The last chunk's padding may be missing; anything else must be padded (RFC 9260 §3.2).
            at = Math.min(at + Wire.pad4(length), end);
        }
        List<Chunk> chunks = more != null ? more : first != null ? List.of(first) : List.of();
        return new SctpPacket(Wire.u16(b, 0), Wire.u16(b, 2), Wire.u32(b, 4), chunks);
    }

    private static Chunk parseChunk(ByteBuffer b, int type, int flags, int start, int end) throws SctpPacketException {
        return switch (type) {
            case ChunkType.DATA -> DataChunk.parse(b, flags, start, end);
            case ChunkType.INIT -> InitChunk.parse(b, flags, start, end);
            case ChunkType.INIT_ACK -> InitAckChunk.parse(b, flags, start, end);
            case ChunkType.SACK -> SackChunk.parse(b, flags, start, end);
            case ChunkType.HEARTBEAT -> HeartbeatRequestChunk.parse(b, flags, start, end);
            case ChunkType.HEARTBEAT_ACK -> HeartbeatAckChunk.parse(b, flags, start, end);
            case ChunkType.ABORT -> AbortChunk.parse(b, flags, start, end);
            case ChunkType.SHUTDOWN -> ShutdownChunk.parse(b, flags, start, end);
            case ChunkType.SHUTDOWN_ACK -> ShutdownAckChunk.parse(b, flags, start, end);
            case ChunkType.ERROR -> ErrorChunk.parse(b, flags, start, end);
            case ChunkType.COOKIE_ECHO -> CookieEchoChunk.parse(b, flags, start, end);
            case ChunkType.COOKIE_ACK -> CookieAckChunk.parse(b, flags, start, end);
            case ChunkType.SHUTDOWN_COMPLETE -> ShutdownCompleteChunk.parse(b, flags, start, end);
            case ChunkType.RE_CONFIG -> ReConfigChunk.parse(b, flags, start, end);
            case ChunkType.FORWARD_TSN -> ForwardTsnChunk.parse(b, flags, start, end);
            default -> UnknownChunk.parse(b, type, flags, start, end);
        };
    }

    /** Total bytes of the encoded packet. Cheap: never allocates. */
    public int encodedLength() {
        int total = COMMON_HEADER_LENGTH;
        for (int i = 0; i < chunks.size(); i++) {
            total += chunks.get(i).encodedLength();
        }
        return total;
    }

    /**
     * Writes the packet with its CRC32C at the buffer's position and advances the position by
     * {@link #encodedLength()}. Works for any byte order of {@code out}.
     *
     * @throws java.nio.BufferOverflowException if fewer than {@link #encodedLength()} bytes remain
     *         (nothing is written then)
     */
    public void writeTo(ByteBuffer out) {
        writeTo(out, false);
    }

    /**
     * Writes the packet; with {@code zeroChecksum} the Checksum field is left zero (RFC 9653: only when
     * the peer advertised Zero Checksum Acceptable, and never for a packet carrying INIT).
     */
    public void writeTo(ByteBuffer out, boolean zeroChecksum) {
        int length = encodedLength();
        if (out.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        ByteBuffer w = out.order() == ByteOrder.BIG_ENDIAN ? out : out.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = w.position();
        w.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) verificationTag).putInt(0);
        for (int i = 0; i < chunks.size(); i++) {
            chunks.get(i).writeTo(w);
        }
        if (w.position() - start != length) {
            throw new IllegalStateException("wrote " + (w.position() - start) + " bytes, expected " + length);
        }
        if (!zeroChecksum) {
            Crc32c.store(w, start + CHECKSUM_OFFSET, Crc32c.compute(w, start, start + length));
        }
        out.position(start + length);
    }

    /** The encoded packet with its CRC32C in a new array. */
    public byte[] toBytes() {
        return toBytes(false);
    }

    /** The encoded packet in a new array; see {@link #writeTo(ByteBuffer, boolean)}. */
    public byte[] toBytes(boolean zeroChecksum) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        writeTo(out, zeroChecksum);
        return out.array();
    }
}
