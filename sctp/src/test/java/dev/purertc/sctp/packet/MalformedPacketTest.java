package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed input yields an SctpPacketException naming the problem and its offset. */
class MalformedPacketTest {

    /** A packet with the common header of port 5000, tag 1 and the given chunk bytes, correctly checksummed. */
    private static byte[] packetWith(String chunkHex) {
        byte[] chunks = Hex.bytes(chunkHex);
        ByteBuffer b = ByteBuffer.allocate(12 + chunks.length);
        b.putShort((short) 5000).putShort((short) 5000).putInt(1).putInt(0).put(chunks);
        Crc32c.store(b, 8, Crc32c.packetChecksum(b, 0, b.capacity()));
        return b.array();
    }

    private static SctpPacketException rejects(byte[] packet) {
        return assertThrows(SctpPacketException.class, () -> SctpPacket.parse(ByteBuffer.wrap(packet)));
    }

    private static void assertRejected(String chunkHex, String message, int offset) {
        SctpPacketException e = rejects(packetWith(chunkHex));
        assertEquals(message + " at offset " + offset, e.getMessage());
        assertEquals(offset, e.offset());
    }

    @Test
    void rejectsPacketShorterThanCommonHeader() {
        SctpPacketException e = rejects(new byte[11]);
        assertEquals("packet of 11 bytes is shorter than the 12-byte common header at offset 0", e.getMessage());
    }

    @Test
    void rejectsTruncatedChunkHeader() {
        assertRejected("0b 00", "truncated chunk header: 2 bytes left", 12);
    }

    @Test
    void rejectsChunkLengthBelowFour() {
        assertRejected("0b 00 00 03", "COOKIE ACK chunk length 3 is below 4", 14);
    }

    @Test
    void rejectsChunkLengthBeyondPacket() {
        assertRejected("0b 00 00 04 | 03 00 00 14 00 00 00 00", "SACK chunk length 20 exceeds the 8 bytes left in the packet", 18);
    }

    @Test
    void rejectsFixedSizeChunksOfWrongLength() {
        assertRejected("07 00 00 0c 00 00 00 01 00 00 00 00", "SHUTDOWN chunk length 12, expected 8", 14);
        assertRejected("08 00 00 08 00 00 00 00", "SHUTDOWN ACK chunk length 8, expected 4", 14);
        assertRejected("0b 00 00 08 00 00 00 00", "COOKIE ACK chunk length 8, expected 4", 14);
        assertRejected("0e 00 00 08 00 00 00 00", "SHUTDOWN COMPLETE chunk length 8, expected 4", 14);
    }

    @Test
    void rejectsDataChunkShorterThanItsHeader() {
        assertRejected("00 03 00 0c 00 00 00 01 00 00 00 00", "DATA chunk length 12 is below 16", 14);
    }

    @Test
    void rejectsSackWhoseCountsDisagreeWithItsLength() {
        assertRejected("03 00 00 14 | 00 00 00 01 | 00 00 10 00 | 00 02 00 00 | 00 01 00 02",
                "SACK chunk length 20 does not match 2 gap blocks and 0 duplicate TSNs", 14);
    }

    @Test
    void rejectsInitShorterThanFixedFields() {
        assertRejected("01 00 00 10 00 00 00 01 00 00 10 00 00 01 00 01", "INIT chunk length 16 is below 20", 14);
    }

    @Test
    void rejectsParameterLongerThanItsChunk() {
        assertRejected("04 00 00 0c | 00 01 00 0c 00 00 00 00",
                "parameter length 12 exceeds the 8 bytes left in its chunk", 18);
    }

    @Test
    void rejectsParameterLengthBelowFour() {
        assertRejected("04 00 00 08 | 00 01 00 02", "parameter length 2 is below 4", 18);
    }

    @Test
    void rejectsTruncatedParameterHeader() {
        assertRejected("04 00 00 06 | 00 01 00 00", "truncated parameter header: 2 bytes left", 16);
    }

    @Test
    void rejectsErrorCauseLongerThanItsChunk() {
        assertRejected("09 00 00 08 | 00 01 00 08", "error cause length 8 exceeds the 4 bytes left in its chunk", 18);
    }

    @Test
    void rejectsMalformedKnownParameters() {
        assertRejected("c0 00 00 0e | 00 00 00 01 | 00 01 00 02 | 00 02 00 00", // length 14 is not 8 + 4n
                "FORWARD TSN chunk length 14 is not 8 plus a whole number of 4-byte stream entries", 14);
        assertRejected("82 00 00 10 | 00 10 00 0c 00 00 00 01 00 00 00 07",
                "Re-configuration Response has unknown result 7", 24);
        assertRejected("82 00 00 14 | 00 10 00 10 00 00 00 01 00 00 00 01 00 00 00 00",
                "Re-configuration Response length 16, expected 12 or 20", 16);
        assertRejected("82 00 00 0f | 00 0d 00 0b 00 00 00 01 00 00 00 01 00 00 00 00",
                "Outgoing SSN Reset Request length 11 is not 16 plus a whole number of 16-bit stream ids", 16);
        assertRejected("82 00 00 15 | 00 0d 00 11 00 00 00 01 00 00 00 01 00 00 00 00 01 00 00 00",
                "Outgoing SSN Reset Request length 17 is not 16 plus a whole number of 16-bit stream ids", 16);
        assertRejected("82 00 00 0c | 00 11 00 08 00 00 00 01",
                "Add Outgoing Streams Request length 8, expected 12", 16);
        assertRejected("01 00 00 1c | 00 00 00 01 00 00 10 00 00 01 00 01 00 00 00 01 | 80 01 00 08 00 00 00 01"
                        .replace("80 01 00 08 00 00 00 01", "80 01 00 06 00 00 00 00"),
                "ZeroChecksumAcceptableParameter parameter length 6, expected 8", 32);
        assertRejected("09 00 00 10 | 00 02 00 0c 00 00 00 03 00 07 00 09",
                "Missing Mandatory Parameter cause declares 3 types but its length is 12", 20);
        assertRejected("09 00 00 0c | 00 01 00 06 00 05 00 00",
                "Invalid Stream Identifier cause length 6, expected 8", 16);
    }

    @Test
    void zeroChecksumIsRejectedUnlessAccepted() throws SctpPacketException {
        byte[] packet = new SctpPacket(5000, 5000, 7, List.of(new CookieAckChunk())).toBytes(true);
        assertEquals(Hex.of(Hex.bytes("13 88 13 88 00 00 00 07 00 00 00 00 0b 00 00 04")), Hex.of(packet));
        SctpPacketException e = rejects(packet);
        assertEquals(8, e.offset());
        assertEquals(new SctpPacket(5000, 5000, 7, List.of(new CookieAckChunk())),
                SctpPacket.parse(ByteBuffer.wrap(packet), true));
    }

    @Test
    void parseLeavesTheBufferUntouchedAndHonoursItsPosition() throws SctpPacketException {
        byte[] packet = new SctpPacket(1, 2, 3, List.of(new ShutdownChunk(9))).toBytes();
        byte[] framed = new byte[packet.length + 7];
        System.arraycopy(packet, 0, framed, 5, packet.length);
        ByteBuffer b = ByteBuffer.wrap(framed).position(5).limit(5 + packet.length);
        b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(new SctpPacket(1, 2, 3, List.of(new ShutdownChunk(9))), SctpPacket.parse(b));
        assertEquals(5, b.position());
        assertEquals(5 + packet.length, b.limit());
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, b.order());
    }

    @Test
    void writeToAdvancesPositionAndRefusesTooSmallBuffers() {
        SctpPacket packet = new SctpPacket(1, 2, 3, List.of(new ShutdownChunk(9)));
        ByteBuffer out = ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN).position(4);
        packet.writeTo(out);
        assertEquals(24, out.position());
        byte[] expected = packet.toBytes();
        assertEquals(Hex.of(expected), Hex.of(java.util.Arrays.copyOfRange(out.array(), 4, 24)));
        ByteBuffer small = ByteBuffer.allocate(19);
        assertThrows(java.nio.BufferOverflowException.class, () -> packet.writeTo(small));
        assertEquals(0, small.position());
    }

    @Test
    void constructorsRejectOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new SctpPacket(65536, 1, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SctpPacket(1, 1, 1L << 32, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DataChunk(-1, 0, 0, 0, false, true, true, false, new byte[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new DataChunk(0, 0, 0, 0, false, true, true, false, new byte[DataChunk.MAX_PAYLOAD_LENGTH + 1]));
        assertThrows(IllegalArgumentException.class, () -> new SupportedExtensionsParameter(List.of(256)));
        assertThrows(IllegalArgumentException.class, () -> new ReconfigurationResponseParameter(1,
                ReconfigurationResponseParameter.Result.DENIED, java.util.OptionalLong.of(1), java.util.OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> new CookieEchoChunk(new byte[65532]));
    }
}
