package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.dcep.ChannelType;
import dev.purertc.sctp.dcep.DcepMessage;
import dev.purertc.sctp.dcep.DcepOpen;
import dev.purertc.sctp.dcep.DcepParseException;
import dev.purertc.sctp.dcep.Ppid;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Packets sent by other stacks (see resources/packets/README.md), decoded field by field. */
class RealPacketsTest {

    private static SctpPacket parseFixture(String name) throws SctpPacketException {
        return SctpPacket.parse(ByteBuffer.wrap(Hex.fixture(name)));
    }

    @Test
    void decodesChromeInitWithForwardTsnAndSupportedExtensions() throws SctpPacketException {
        SctpPacket packet = parseFixture("pion-chrome-init.hex");
        assertEquals(5000, packet.sourcePort());
        assertEquals(5000, packet.destinationPort());
        assertEquals(0L, packet.verificationTag());
        assertEquals(1, packet.chunks().size());
        InitChunk init = assertInstanceOf(InitChunk.class, packet.chunks().get(0));
        assertEquals(0xce1579a2L, init.initiateTag());
        assertEquals(131072L, init.advertisedReceiverWindowCredit());
        assertEquals(1024, init.outboundStreams());
        assertEquals(2048, init.inboundStreams());
        assertEquals(0x945795c0L, init.initialTsn());
        assertEquals(86, init.length());
        List<Parameter> params = init.parameters();
        assertEquals(5, params.size());
        assertEquals(new ForwardTsnSupportedParameter(), params.get(0));
        // FORWARD TSN, AUTH, ASCONF, ASCONF-ACK, RE-CONFIG
        assertEquals(new SupportedExtensionsParameter(List.of(0xc0, 0x0f, 0xc1, 0x80, 0x82)), params.get(1));
        SupportedExtensionsParameter ext = init.parameter(SupportedExtensionsParameter.class).orElseThrow();
        assertTrue(ext.supports(ChunkType.RE_CONFIG));
        assertTrue(ext.supports(ChunkType.FORWARD_TSN));
        // AUTH parameters (RFC 4895) are not modelled: Random 0x8002, Requested HMAC 0x8004, Chunk List 0x8003.
        UnknownParameter random = assertInstanceOf(UnknownParameter.class, params.get(2));
        assertEquals(0x8002, random.type());
        assertArrayEquals(Hex.bytes("ff5c49194a94e82aec585562291f8e23cd7ce846ba581b3dabd77e50f241b12e"), random.value());
        assertEquals(UnrecognizedAction.SKIP, random.action());
        assertEquals(new UnknownParameter(0x8004, Hex.bytes("0001")), params.get(3));
        assertEquals(new UnknownParameter(0x8003, Hex.bytes("80c1")), params.get(4));
    }

    @Test
    void decodesChromeInitAckWithStateCookie() throws SctpPacketException {
        SctpPacket packet = parseFixture("pion-chrome-init-ack.hex");
        assertEquals(0xce1579a2L, packet.verificationTag());
        InitAckChunk ack = assertInstanceOf(InitAckChunk.class, packet.chunks().get(0));
        assertEquals(0x9bd5b36fL, ack.initiateTag());
        assertEquals(131072L, ack.advertisedReceiverWindowCredit());
        assertEquals(1024, ack.outboundStreams());
        assertEquals(2048, ack.inboundStreams());
        assertEquals(0xefb47287L, ack.initialTsn());
        assertEquals(400, ack.length());
        assertEquals(6, ack.parameters().size());
        StateCookieParameter cookie = ack.parameter(StateCookieParameter.class).orElseThrow();
        assertEquals(308, cookie.cookie().length);
        // usrsctp's cookie starts with its identification string "KAME-BSD 1.1".
        assertEquals("KAME-BSD 1.1", new String(cookie.cookie(), 0, 12, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void decodesCookieEchoBundledWithDataCarryingDcepOpen() throws SctpPacketException, DcepParseException {
        SctpPacket packet = parseFixture("pion-cookie-echo-data-dcep.hex");
        assertEquals(0xfcd63fc6L, packet.verificationTag());
        assertEquals(2, packet.chunks().size());
        CookieEchoChunk echo = assertInstanceOf(CookieEchoChunk.class, packet.chunks().get(0));
        assertEquals(32, echo.cookie().length);
        DataChunk data = assertInstanceOf(DataChunk.class, packet.chunks().get(1));
        assertEquals(0xa879a1c7L, data.tsn());
        assertEquals(1, data.streamId());
        assertEquals(0, data.ssn());
        assertEquals(Ppid.DCEP, data.ppid());
        assertFalse(data.unordered());
        assertTrue(data.beginning());
        assertTrue(data.ending());
        assertFalse(data.immediateAck());
        assertEquals(15, data.payload().length);
        assertEquals(new DcepOpen(ChannelType.RELIABLE, 0, 0, "foo", ""), DcepMessage.parse(data.payload()));
    }

    @Test
    void decodesSackWithOneGapBlock() throws SctpPacketException {
        SctpPacket packet = parseFixture("pion-sack.hex");
        assertEquals(0xc298980fL, packet.verificationTag());
        SackChunk sack = assertInstanceOf(SackChunk.class, packet.chunks().get(0));
        assertEquals(new SackChunk(0x8773bda4L, 130676L, List.of(new SackChunk.GapAckBlock(2, 2)), List.of()), sack);
    }

    @Test
    void decodesReconfigOutgoingResetOfStreamOne() throws SctpPacketException {
        SctpPacket packet = parseFixture("pion-reconfig-outgoing-reset.hex");
        ReConfigChunk reconfig = assertInstanceOf(ReConfigChunk.class, packet.chunks().get(0));
        assertEquals(List.of(new OutgoingSsnResetRequestParameter(0x4e1cb9e6L, 0x3a748dffL, 0x4e1cb9e6L, List.of(1))),
                reconfig.parameters());
        assertEquals(22, reconfig.length());
    }

    @Test
    void decodesCapturedInitWithEcnParameter() throws SctpPacketException {
        SctpPacket packet = parseFixture("dcsctp-init-capture.hex");
        InitChunk init = assertInstanceOf(InitChunk.class, packet.chunks().get(0));
        assertEquals(0x0eddca08L, init.initiateTag());
        assertEquals(131072L, init.advertisedReceiverWindowCredit());
        assertEquals(1000, init.outboundStreams());
        assertEquals(1000, init.inboundStreams());
        assertEquals(1426601527L, init.initialTsn());
        assertEquals(new UnknownParameter(0x8000, new byte[0]), init.parameters().get(0)); // ECN Capable
        assertEquals(new ForwardTsnSupportedParameter(), init.parameters().get(1));
        assertEquals(6, init.parameters().size());
    }

    @Test
    void decodesCookieAckBundledWithSack() throws SctpPacketException {
        SctpPacket packet = parseFixture("dcsctp-cookie-ack-sack.hex");
        assertEquals(1234, packet.sourcePort());
        assertEquals(4321, packet.destinationPort());
        assertEquals(0x697e3a4eL, packet.verificationTag());
        assertEquals(List.of(new CookieAckChunk(), new SackChunk(2930332242L, 131072L, List.of(), List.of())),
                packet.chunks());
    }

    @Test
    void acceptsHeaderOnlyPacket() throws SctpPacketException {
        SctpPacket packet = parseFixture("pion-header-only.hex");
        assertEquals(new SctpPacket(5000, 5000, 0, List.of()), packet);
    }

    @Test
    void rejectsCapturedSackWithWrongChecksum() {
        byte[] bytes = Hex.fixture("dcsctp-sack-wrong-checksum.hex");
        SctpPacketException e = assertThrows(SctpPacketException.class, () -> SctpPacket.parse(ByteBuffer.wrap(bytes)));
        assertEquals(8, e.offset());
        assertEquals("CRC32C mismatch: packet carries 0x31f5812a, bytes give 0x32f5812a at offset 8", e.getMessage());
        // A non-zero checksum is verified even when zero checksums are acceptable (RFC 9653).
        assertThrows(SctpPacketException.class, () -> SctpPacket.parse(ByteBuffer.wrap(bytes), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pion-chrome-init.hex", "pion-chrome-init-ack.hex", "pion-cookie-echo-data-dcep.hex",
            "pion-sack.hex", "pion-reconfig-outgoing-reset.hex", "pion-header-only.hex", "dcsctp-init-capture.hex",
            "dcsctp-cookie-ack-sack.hex"})
    void reencodesRealPacketsByteForByte(String name) throws SctpPacketException {
        byte[] original = Hex.fixture(name);
        SctpPacket packet = SctpPacket.parse(ByteBuffer.wrap(original));
        assertEquals(original.length, packet.encodedLength());
        assertEquals(Hex.of(original), Hex.of(packet.toBytes()));
    }
}
