package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every chunk, parameter and error cause against bytes laid out by hand from the RFC figures, in
 * both directions: the record writes exactly these bytes, and these bytes parse to the record.
 */
class WireLayoutTest {

    /** Writes the chunk and compares; then parses it from a packet and compares the record. */
    private static void assertChunk(Chunk chunk, String hex) throws SctpPacketException {
        byte[] expected = Hex.bytes(hex);
        ByteBuffer out = ByteBuffer.allocate(chunk.encodedLength());
        chunk.writeTo(out);
        assertEquals(Hex.of(expected), Hex.of(out.array()), "written bytes of " + chunk);
        assertEquals(expected.length, chunk.encodedLength());
        byte[] packet = new SctpPacket(5000, 5000, 1, List.of(chunk)).toBytes();
        SctpPacket parsed = SctpPacket.parse(ByteBuffer.wrap(packet));
        assertEquals(List.of(chunk), parsed.chunks());
    }

    private static void assertParameter(Parameter parameter, String hex) throws SctpPacketException {
        byte[] expected = Hex.bytes(hex);
        ByteBuffer out = ByteBuffer.allocate(parameter.encodedLength());
        parameter.writeTo(out);
        assertEquals(Hex.of(expected), Hex.of(out.array()), "written bytes of " + parameter);
        ByteBuffer in = ByteBuffer.wrap(expected);
        assertEquals(List.of(parameter), TlvLists.parseParameters(in, 0, expected.length));
        // As the last TLV of a chunk, its padding lies outside the chunk length (RFC 9260 §3.2).
        assertEquals(List.of(parameter), TlvLists.parseParameters(in, 0, parameter.length()));
    }

    private static void assertCause(ErrorCause cause, String hex) throws SctpPacketException {
        byte[] expected = Hex.bytes(hex);
        ByteBuffer out = ByteBuffer.allocate(cause.encodedLength());
        cause.writeTo(out);
        assertEquals(Hex.of(expected), Hex.of(out.array()), "written bytes of " + cause);
        ByteBuffer in = ByteBuffer.wrap(expected);
        assertEquals(List.of(cause), TlvLists.parseCauses(in, 0, expected.length));
        assertEquals(List.of(cause), TlvLists.parseCauses(in, 0, cause.length()));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void commonHeader() throws SctpPacketException {
        byte[] bytes = new SctpPacket(0x1388, 0xffff, 0xdeadbeefL, List.of(new CookieAckChunk())).toBytes();
        assertEquals(Hex.of(Hex.bytes("""
                13 88        # Source Port 5000
                ff ff        # Destination Port 65535
                de ad be ef  # Verification Tag
                """)), Hex.of(java.util.Arrays.copyOf(bytes, 8)));
        assertEquals(Hex.of(Hex.bytes("0b 00 00 04")), Hex.of(java.util.Arrays.copyOfRange(bytes, 12, 16)));
        assertEquals(16, bytes.length);
    }

    @Test
    void dataChunk() throws SctpPacketException {
        assertChunk(new DataChunk(42, 0x0102, 7, 53, false, true, true, true, ascii("abc")), """
                00           # Type 0 DATA
                0b           # Flags: I (0x08), B (0x02), E (0x01)
                00 13        # Length 19 = 16 + 3
                00 00 00 2a  # TSN 42
                01 02        # Stream Identifier 258
                00 07        # Stream Sequence Number 7
                00 00 00 35  # Payload Protocol Identifier 53
                61 62 63     # "abc"
                00           # padding
                """);
        assertChunk(new DataChunk(0xffffffffL, 65535, 65535, 0xffffffffL, true, false, false, false, new byte[4]), """
                00 04 00 14  # DATA, U (0x04), Length 20
                ff ff ff ff  # TSN
                ff ff ff ff  # Stream 65535, SSN 65535
                ff ff ff ff  # PPID
                00 00 00 00  # 4 payload bytes, no padding
                """);
    }

    @Test
    void initChunk() throws SctpPacketException {
        assertChunk(new InitChunk(0xaabbccddL, 5 * 1024 * 1024, 65535, 65535, 1,
                List.of(new ForwardTsnSupportedParameter(), new SupportedExtensionsParameter(List.of(0x82, 0xc0)))), """
                01 00 00 1e  # INIT, Length 30 (last parameter's padding excluded)
                aa bb cc dd  # Initiate Tag
                00 50 00 00  # a_rwnd 5 MiB
                ff ff ff ff  # Outbound 65535, Inbound 65535
                00 00 00 01  # Initial TSN 1
                c0 00 00 04  # Forward-TSN-Supported
                80 08 00 06  # Supported Extensions, Length 6
                82 c0 00 00  # RE-CONFIG, FORWARD TSN, padding
                """);
    }

    @Test
    void initAckChunk() throws SctpPacketException {
        assertChunk(new InitAckChunk(0x11223344L, 65536, 10, 20, 0xfffffffeL,
                List.of(new StateCookieParameter(ascii("cookie")), new ZeroChecksumAcceptableParameter(1))), """
                02 00 00 28  # INIT ACK, Length 40
                11 22 33 44  # Initiate Tag
                00 01 00 00  # a_rwnd 65536
                00 0a 00 14  # Outbound 10, Inbound 20
                ff ff ff fe  # Initial TSN
                00 07 00 0a  # State Cookie, Length 10
                63 6f 6f 6b 69 65 00 00 # "cookie", padding
                80 01 00 08  # Zero Checksum Acceptable
                00 00 00 01  # Error Detection Method 1 (DTLS)
                """);
    }

    @Test
    void sackChunk() throws SctpPacketException {
        assertChunk(new SackChunk(100, 4096,
                List.of(new SackChunk.GapAckBlock(2, 3), new SackChunk.GapAckBlock(5, 5)), List.of(99L, 97L)), """
                03 00 00 20  # SACK, Length 32
                00 00 00 64  # Cumulative TSN Ack 100
                00 00 10 00  # a_rwnd 4096
                00 02 00 02  # 2 Gap Ack Blocks, 2 Duplicate TSNs
                00 02 00 03  # Gap 1: start 2, end 3
                00 05 00 05  # Gap 2: start 5, end 5
                00 00 00 63  # Duplicate TSN 99
                00 00 00 61  # Duplicate TSN 97
                """);
    }

    @Test
    void heartbeatAndHeartbeatAck() throws SctpPacketException {
        List<Parameter> info = List.of(new HeartbeatInfoParameter(Hex.bytes("0102030405")));
        assertChunk(new HeartbeatRequestChunk(info), """
                04 00 00 0d  # HEARTBEAT, Length 13
                00 01 00 09  # Heartbeat Info, Length 9
                01 02 03 04 05 00 00 00 # info, padding
                """);
        assertChunk(new HeartbeatAckChunk(info), """
                05 00 00 0d  # HEARTBEAT ACK, Length 13
                00 01 00 09 01 02 03 04 05 00 00 00
                """);
    }

    @Test
    void abortChunk() throws SctpPacketException {
        assertChunk(new AbortChunk(true, List.of(UserInitiatedAbortCause.ofReason("bye"))), """
                06 01 00 0b  # ABORT, T bit, Length 11
                00 0c 00 07  # User-Initiated Abort, Length 7
                62 79 65 00  # "bye", padding
                """);
        assertChunk(new AbortChunk(false, List.of()), "06 00 00 04");
    }

    @Test
    void shutdownFamily() throws SctpPacketException {
        assertChunk(new ShutdownChunk(256), """
                07 00 00 08  # SHUTDOWN, Length 8
                00 00 01 00  # Cumulative TSN Ack 256
                """);
        assertChunk(new ShutdownAckChunk(), "08 00 00 04");
        assertChunk(new ShutdownCompleteChunk(true), "0e 01 00 04" /* SHUTDOWN COMPLETE, T bit */);
        assertChunk(new ShutdownCompleteChunk(false), "0e 00 00 04");
    }

    @Test
    void errorChunk() throws SctpPacketException {
        assertChunk(new ErrorChunk(List.of(new InvalidStreamIdentifierCause(5), new StaleCookieCause(1000))), """
                09 00 00 14  # ERROR, Length 20
                00 01 00 08  # Invalid Stream Identifier
                00 05 00 00  # stream 5, reserved
                00 03 00 08  # Stale Cookie Error
                00 00 03 e8  # 1000 microseconds
                """);
    }

    @Test
    void cookieEchoAndCookieAck() throws SctpPacketException {
        assertChunk(new CookieEchoChunk(Hex.bytes("0102030405")), """
                0a 00 00 09  # COOKIE ECHO, Length 9
                01 02 03 04 05 00 00 00 # cookie, padding
                """);
        assertChunk(new CookieAckChunk(), "0b 00 00 04");
    }

    @Test
    void forwardTsnChunk() throws SctpPacketException {
        assertChunk(new ForwardTsnChunk(256,
                List.of(new ForwardTsnChunk.SkippedStream(1, 2), new ForwardTsnChunk.SkippedStream(3, 4))), """
                c0 00 00 10  # FORWARD TSN, Length 16
                00 00 01 00  # New Cumulative TSN 256
                00 01 00 02  # Stream 1, Stream Sequence 2
                00 03 00 04  # Stream 3, Stream Sequence 4
                """);
    }

    @Test
    void reConfigChunk() throws SctpPacketException {
        assertChunk(new ReConfigChunk(List.of(new OutgoingSsnResetRequestParameter(1, 2, 3, List.of(1, 2, 3)),
                new IncomingSsnResetRequestParameter(4, List.of()))), """
                82 00 00 24  # RE-CONFIG, Length 36
                00 0d 00 16  # Outgoing SSN Reset Request, Length 22
                00 00 00 01  # Request Sequence Number 1
                00 00 00 02  # Response Sequence Number 2
                00 00 00 03  # Sender's Last Assigned TSN 3
                00 01 00 02 00 03 00 00 # streams 1, 2, 3, padding
                00 0e 00 08  # Incoming SSN Reset Request, Length 8
                00 00 00 04  # Request Sequence Number 4, all streams
                """);
    }

    @Test
    void unknownChunkKeepsTypeFlagsAndValue() throws SctpPacketException {
        UnknownChunk iData = new UnknownChunk(ChunkType.I_DATA, 0x03, Hex.bytes("0102"));
        assertChunk(iData, "40 03 00 06 01 02 00 00");
        assertEquals(UnrecognizedAction.STOP_AND_REPORT, iData.action());
        assertEquals(Hex.of(Hex.bytes("40 03 00 06 01 02 00 00")), Hex.of(iData.toChunkBytes()));
    }

    @Test
    void parameters() throws SctpPacketException {
        assertParameter(new UnrecognizedParameter(Hex.bytes("80 05 00 08 de ad be ef")),
                "00 08 00 0c | 80 05 00 08 de ad be ef");
        assertParameter(new CookiePreservativeParameter(10_000), "00 09 00 08 | 00 00 27 10");
        assertParameter(new SsnTsnResetRequestParameter(9), "00 0f 00 08 | 00 00 00 09");
        assertParameter(new ReconfigurationResponseParameter(7, ReconfigurationResponseParameter.Result.SUCCESS_PERFORMED),
                "00 10 00 0c | 00 00 00 07 | 00 00 00 01");
        assertParameter(new ReconfigurationResponseParameter(7, ReconfigurationResponseParameter.Result.SUCCESS_NOTHING_TO_DO,
                OptionalLong.of(256), OptionalLong.of(512)),
                "00 10 00 14 | 00 00 00 07 | 00 00 00 00 | 00 00 01 00 | 00 00 02 00");
        assertParameter(new AddOutgoingStreamsRequestParameter(10, 16), "00 11 00 0c | 00 00 00 0a | 00 10 00 00");
        assertParameter(new AddIncomingStreamsRequestParameter(11, 32), "00 12 00 0c | 00 00 00 0b | 00 20 00 00");
        assertParameter(new ForwardTsnSupportedParameter(), "c0 00 00 04");
        assertParameter(new SupportedExtensionsParameter(List.of(0x82)), "80 08 00 05 | 82 00 00 00");
        assertParameter(new SupportedExtensionsParameter(List.of()), "80 08 00 04");
        assertParameter(new ZeroChecksumAcceptableParameter(1), "80 01 00 08 | 00 00 00 01");
        assertParameter(new HeartbeatInfoParameter(new byte[0]), "00 01 00 04");
        assertParameter(new StateCookieParameter(Hex.bytes("01020304")), "00 07 00 08 | 01 02 03 04");
        assertParameter(new OutgoingSsnResetRequestParameter(0xffffffffL, 0, 0, List.of(65535)),
                "00 0d 00 12 | ff ff ff ff | 00 00 00 00 | 00 00 00 00 | ff ff 00 00");
        assertParameter(new IncomingSsnResetRequestParameter(1, List.of(2, 4)), "00 0e 00 0c | 00 00 00 01 | 00 02 00 04");
        assertParameter(new UnknownParameter(0x7fff, Hex.bytes("aa")), "7f ff 00 05 | aa 00 00 00");
    }

    @Test
    void errorCauses() throws SctpPacketException {
        assertCause(new MissingMandatoryParameterCause(List.of(7, 9)),
                "00 02 00 0c | 00 00 00 02 | 00 07 00 09");
        assertCause(new MissingMandatoryParameterCause(List.of(7)), "00 02 00 0a | 00 00 00 01 | 00 07 00 00");
        assertCause(new OutOfResourceCause(), "00 04 00 04");
        assertCause(new UnresolvableAddressCause(Hex.bytes("00 05 00 08 7f 00 00 01")),
                "00 05 00 0c | 00 05 00 08 7f 00 00 01");
        assertCause(new UnrecognizedChunkTypeCause(Hex.bytes("40 03 00 06 01 02 00 00")),
                "00 06 00 0c | 40 03 00 06 01 02 00 00");
        assertCause(new InvalidMandatoryParameterCause(), "00 07 00 04");
        assertCause(new UnrecognizedParametersCause(Hex.bytes("80 05 00 04")), "00 08 00 08 | 80 05 00 04");
        assertCause(new NoUserDataCause(42), "00 09 00 08 | 00 00 00 2a");
        assertCause(new CookieReceivedWhileShuttingDownCause(), "00 0a 00 04");
        assertCause(new RestartWithNewAddressesCause(Hex.bytes("00 05 00 08 7f 00 00 01")),
                "00 0b 00 0c | 00 05 00 08 7f 00 00 01");
        assertCause(ProtocolViolationCause.ofInfo("oops"), "00 0d 00 08 | 6f 6f 70 73");
        assertCause(new UserInitiatedAbortCause(new byte[0]), "00 0c 00 04");
        assertCause(new InvalidStreamIdentifierCause(65535), "00 01 00 08 | ff ff 00 00");
        assertCause(new StaleCookieCause(0xffffffffL), "00 03 00 08 | ff ff ff ff");
        assertCause(new UnknownCause(0x100, Hex.bytes("0102")), "01 00 00 06 | 01 02 00 00");
        assertEquals("oops", ProtocolViolationCause.ofInfo("oops").infoString());
        assertEquals("grüß", UserInitiatedAbortCause.ofReason("grüß").reasonString());
    }
}
