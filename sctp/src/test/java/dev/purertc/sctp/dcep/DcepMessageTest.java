package dev.purertc.sctp.dcep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DcepMessageTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("#[^\\n]*", "").replaceAll("[\\s|]", ""));
    }

    @Test
    void openLayoutFollowsRfc8832Figure() throws DcepParseException {
        DcepOpen open = new DcepOpen(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 256, 3, "chat", "json");
        byte[] expected = hex("""
                03           # Message Type DATA_CHANNEL_OPEN
                81           # Channel Type PARTIAL_RELIABLE_REXMIT_UNORDERED
                01 00        # Priority 256
                00 00 00 03  # Reliability Parameter: 3 retransmissions
                00 04        # Label Length
                00 04        # Protocol Length
                63 68 61 74  # "chat"
                6a 73 6f 6e  # "json"
                """);
        assertArrayEquals(expected, open.toBytes());
        assertEquals(open, DcepMessage.parse(expected));
    }

    @Test
    void ackIsOneByte() throws DcepParseException {
        assertArrayEquals(new byte[] {0x02}, new DcepAck().toBytes());
        assertEquals(new DcepAck(), DcepMessage.parse(new byte[] {0x02}));
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void everyChannelTypeRoundTrips(ChannelType type) throws DcepParseException {
        DcepOpen open = new DcepOpen(type, 512, 0xffffffffL, "label-" + type, "proto");
        byte[] bytes = open.toBytes();
        assertEquals(type.code(), bytes[1] & 0xFF);
        assertEquals(open, DcepMessage.parse(bytes));
    }

    @Test
    void channelTypeCodesAndOrdering() {
        assertEquals(0x00, ChannelType.RELIABLE.code());
        assertEquals(0x80, ChannelType.RELIABLE_UNORDERED.code());
        assertEquals(0x01, ChannelType.PARTIAL_RELIABLE_REXMIT.code());
        assertEquals(0x81, ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED.code());
        assertEquals(0x02, ChannelType.PARTIAL_RELIABLE_TIMED.code());
        assertEquals(0x82, ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED.code());
        assertTrue(ChannelType.RELIABLE.isOrdered());
        assertTrue(ChannelType.PARTIAL_RELIABLE_REXMIT.isOrdered());
        assertTrue(ChannelType.PARTIAL_RELIABLE_TIMED.isOrdered());
        assertFalse(ChannelType.RELIABLE_UNORDERED.isOrdered());
        assertFalse(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED.isOrdered());
        assertFalse(ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED.isOrdered());
        assertTrue(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED.limitsRetransmissions());
        assertTrue(ChannelType.PARTIAL_RELIABLE_TIMED.limitsLifetime());
        assertFalse(ChannelType.RELIABLE.limitsRetransmissions());
        assertFalse(ChannelType.RELIABLE.limitsLifetime());
    }

    @Test
    void nonAsciiLabelAndProtocolAreUtf8() throws DcepParseException {
        DcepOpen open = new DcepOpen(ChannelType.RELIABLE, 0, 0, "日本語 ✓ 🎉", "prøtøcøl");
        byte[] bytes = open.toBytes();
        assertEquals(18, ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF)); // 9 + 1 + 3 + 1 + 4 UTF-8 bytes
        assertEquals(11, ((bytes[10] & 0xFF) << 8) | (bytes[11] & 0xFF));
        assertEquals(12 + 18 + 11, bytes.length);
        assertEquals(open, DcepMessage.parse(bytes));
    }

    @Test
    void emptyLabelAndProtocol() throws DcepParseException {
        DcepOpen open = new DcepOpen(ChannelType.RELIABLE, 0, 0, "", "");
        assertArrayEquals(hex("03 00 0000 00000000 0000 0000"), open.toBytes());
        assertEquals(open, DcepMessage.parse(open.toBytes()));
    }

    @Test
    void bytesAfterACompleteMessageAreIgnored() throws DcepParseException {
        assertEquals(new DcepOpen(ChannelType.RELIABLE, 0, 0, "a", ""),
                DcepMessage.parse(hex("03 00 0000 00000000 0001 0000 61 00 00 00")));
        assertEquals(new DcepAck(), DcepMessage.parse(hex("02 00")));
    }

    @Test
    void malformedMessagesAreRejectedWithOffsets() {
        assertRejected(new byte[0], "empty DCEP message at offset 0");
        assertRejected(hex("04"), "unknown DCEP message type 0x4 at offset 0");
        assertRejected(hex("03 00 0000 00000000 0000"), "DATA_CHANNEL_OPEN of 10 bytes is shorter than 12 at offset 10");
        assertRejected(hex("03 03 0000 00000000 0000 0000"), "unknown channel type 0x3 at offset 1");
        assertRejected(hex("03 00 0000 00000000 0003 0002 61 62 63 64"),
                "label length 3 and protocol length 2 exceed the 4 bytes after the header at offset 8");
        assertRejected(hex("03 00 0000 00000000 0002 0000 c3 28"), "label is not valid UTF-8 at offset 12");
        assertRejected(hex("03 00 0000 00000000 0001 0001 61 ff"), "protocol is not valid UTF-8 at offset 13");
    }

    @Test
    void randomBytesOnlyEverRaiseDcepParseException() {
        long seed = 0xDCE9L;
        Random random = new Random(seed);
        byte[] valid = new DcepOpen(ChannelType.PARTIAL_RELIABLE_TIMED, 7, 1000, "données", "p").toBytes();
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(24)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = 0x03;
                }
            } else {
                input = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 3)); // truncate or extend
                if (input.length > 0) {
                    input[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            try {
                DcepMessage message = DcepMessage.parse(input);
                assertEquals(message, DcepMessage.parse(message.toBytes()), "seed " + seed + " iteration " + i);
            } catch (DcepParseException expected) {
                // the only exception allowed
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + " input " + HexFormat.of().formatHex(input), e);
            }
        }
    }

    @Test
    void ppidConstantsMatchRfc8831() {
        assertEquals(50, Ppid.DCEP);
        assertEquals(51, Ppid.STRING);
        assertEquals(52, Ppid.BINARY_PARTIAL);
        assertEquals(53, Ppid.BINARY);
        assertEquals(54, Ppid.STRING_PARTIAL);
        assertEquals(56, Ppid.STRING_EMPTY);
        assertEquals(57, Ppid.BINARY_EMPTY);
        assertTrue(Ppid.isString(Ppid.STRING_EMPTY));
        assertFalse(Ppid.isString(Ppid.BINARY));
        assertTrue(Ppid.isEmpty(Ppid.BINARY_EMPTY));
        assertFalse(Ppid.isEmpty(Ppid.STRING));
    }

    @Test
    void constructorRejectsOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> new DcepOpen(ChannelType.RELIABLE, 65536, 0, "", ""));
        assertThrows(IllegalArgumentException.class, () -> new DcepOpen(ChannelType.RELIABLE, 0, -1, "", ""));
        assertThrows(IllegalArgumentException.class, () -> new DcepOpen(ChannelType.RELIABLE, 0, 0, "x".repeat(65536), ""));
    }

    private static void assertRejected(byte[] input, String message) {
        DcepParseException e = assertThrows(DcepParseException.class, () -> DcepMessage.parse(input));
        assertEquals(message, e.getMessage());
    }
}
