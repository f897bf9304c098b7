package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Crc32cTest {

    private static long crcOf(byte[] data) {
        return Crc32c.compute(ByteBuffer.wrap(data), 0, data.length);
    }

    private static byte[] stored(long crc) {
        ByteBuffer b = ByteBuffer.allocate(4);
        Crc32c.store(b, 0, crc);
        return b.array();
    }

    @Test
    void thirtyTwoZeroBytesGiveRfc3720Value() {
        long crc = crcOf(new byte[32]);
        assertEquals(0x8A9136AAL, crc);
        // RFC 3720 B.4 lists the CRC bytes in transmission order as "aa 36 91 8a".
        assertArrayEquals(Hex.bytes("aa 36 91 8a"), stored(crc));
    }

    @Test
    void thirtyTwoOnesGiveRfc3720Value() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        assertEquals(0x62A8AB43L, crcOf(ones));
        assertArrayEquals(Hex.bytes("43 ab a8 62"), stored(0x62A8AB43L));
    }

    @Test
    void ascendingBytesGiveRfc3720Value() {
        byte[] data = new byte[32];
        for (int i = 0; i < 32; i++) {
            data[i] = (byte) i;
        }
        assertEquals(0x46DD794EL, crcOf(data));
    }

    @Test
    void descendingBytesGiveRfc3720Value() {
        byte[] data = new byte[32];
        for (int i = 0; i < 32; i++) {
            data[i] = (byte) (31 - i);
        }
        assertEquals(0x113FDB5CL, crcOf(data));
    }

    @Test
    void iscsiReadCommandPduGivesRfc3720Value() {
        byte[] pdu = Hex.bytes("""
                01 c0 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                14 00 00 00  00 00 04 00  00 00 00 14  00 00 00 18
                28 00 00 00  00 00 00 00  02 00 00 00  00 00 00 00
                """);
        long crc = crcOf(pdu);
        assertEquals(0xD9963A56L, crc);
        assertArrayEquals(Hex.bytes("56 3a 96 d9"), stored(crc));
    }

    @Test
    void computeCoversOnlyTheGivenRangeAndKeepsBufferState() {
        byte[] padded = new byte[40];
        Arrays.fill(padded, (byte) 0x55);
        Arrays.fill(padded, 4, 36, (byte) 0);
        ByteBuffer b = ByteBuffer.wrap(padded).position(3).limit(39);
        assertEquals(0x8A9136AAL, Crc32c.compute(b, 4, 36));
        assertEquals(3, b.position());
        assertEquals(39, b.limit());
    }

    @Test
    void realPacketsCarryTheChecksumOfTheirBytesWithTheFieldZeroed() {
        for (String name : List.of("pion-chrome-init.hex", "pion-chrome-init-ack.hex", "pion-sack.hex",
                "dcsctp-init-capture.hex", "dcsctp-cookie-ack-sack.hex", "pion-header-only.hex")) {
            byte[] packet = Hex.fixture(name);
            ByteBuffer b = ByteBuffer.wrap(packet);
            assertEquals(Crc32c.load(b, 8), Crc32c.packetChecksum(b, 0, packet.length), name);
        }
        // dcSCTP's capture shows Wireshark's "Checksum: 0xaa019d33", the bytes as a big-endian number;
        // the CRC32C value is the byte-reversed 0x339d01aa.
        ByteBuffer init = ByteBuffer.wrap(Hex.fixture("dcsctp-init-capture.hex"));
        assertEquals(0x339D01AAL, Crc32c.packetChecksum(init, 0, init.limit()));
    }

    @Test
    void writingARealPacketReproducesItsChecksumBytes() throws SctpPacketException {
        byte[] original = Hex.fixture("pion-chrome-init.hex");
        SctpPacket parsed = SctpPacket.parse(ByteBuffer.wrap(original));
        byte[] rewritten = parsed.toBytes();
        assertArrayEquals(Arrays.copyOfRange(original, 8, 12), Arrays.copyOfRange(rewritten, 8, 12));
        assertArrayEquals(Hex.bytes("bc b3 45 a2"), Arrays.copyOfRange(rewritten, 8, 12));
    }
}
