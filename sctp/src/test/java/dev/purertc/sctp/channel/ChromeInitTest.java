package dev.purertc.sctp.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.dcep.ChannelType;
import dev.purertc.sctp.dcep.DcepAck;
import dev.purertc.sctp.dcep.DcepMessage;
import dev.purertc.sctp.dcep.DcepOpen;
import dev.purertc.sctp.dcep.Ppid;
import dev.purertc.sctp.packet.Chunk;
import dev.purertc.sctp.packet.CookieAckChunk;
import dev.purertc.sctp.packet.CookieEchoChunk;
import dev.purertc.sctp.packet.DataChunk;
import dev.purertc.sctp.packet.InitAckChunk;
import dev.purertc.sctp.packet.SackChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.StateCookieParameter;
import dev.purertc.sctp.packet.UnrecognizedParameter;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chrome's real INIT (usrsctp era, from pion's test suite) answered by our association, then DCEP. */
class ChromeInitTest {
    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = ChromeInitTest.class.getResourceAsStream("/packets/" + name)) {
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.startsWith("#")) {
                    hex.append(line.replaceAll("\\s", ""));
                }
            }
            byte[] out = new byte[hex.length() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return out;
        }
    }

    @Test
    void answersChromesInitAndOpensTheChannelItAnnounces() throws Exception {
        long now = 1_000_000_000L;
        DataChannels server = new DataChannels(new Association(SctpOptions.defaults(), new Random(1)), false);
        List<DataChannel> opened = new ArrayList<>();
        server.setListener(new DataChannels.Listener() {
            @Override public void onDataChannel(DataChannel channel) {
                opened.add(channel);
            }
        });
        server.handleInput(fixture("pion-chrome-init.hex"), now);
        SctpPacket initAckPacket = SctpPacket.parse(ByteBuffer.wrap(server.pollOutgoingPacket()));
        assertEquals(0xce1579a2L, initAckPacket.verificationTag()); // Chrome's Initiate Tag
        assertEquals(5000, initAckPacket.destinationPort());
        InitAckChunk initAck = (InitAckChunk) initAckPacket.chunks().get(0);
        // Chrome's AUTH parameters have type bits 10: skipped without a report (RFC 9260 §3.2.1).
        assertTrue(initAck.parameter(UnrecognizedParameter.class).isEmpty());
        assertEquals(AssociationState.CLOSED, server.association().state()); // no state before COOKIE ECHO
        byte[] cookie = initAck.parameter(StateCookieParameter.class).orElseThrow().cookie();

        // Chrome's COOKIE ECHO bundled with DATA carrying DCEP OPEN on stream 0 (its first TSN).
        DcepOpen open = new DcepOpen(ChannelType.RELIABLE, 0, 0, "foo", "");
        DataChunk data = new DataChunk(0x945795c0L, 0, 0, Ppid.DCEP, false, true, true, false, open.toBytes());
        byte[] echo = new SctpPacket(5000, 5000, initAck.initiateTag(),
                List.<Chunk>of(new CookieEchoChunk(cookie), data)).toBytes();
        server.handleInput(echo, now + 1_000_000);
        assertEquals(AssociationState.ESTABLISHED, server.association().state());
        assertEquals(1, opened.size());
        assertEquals("foo", opened.get(0).label());
        assertEquals(ReadyState.OPEN, opened.get(0).readyState());

        SctpPacket reply = SctpPacket.parse(ByteBuffer.wrap(server.pollOutgoingPacket()));
        assertEquals(0xce1579a2L, reply.verificationTag());
        assertTrue(reply.chunks().get(0) instanceof SackChunk || reply.chunks().get(0) instanceof CookieAckChunk);
        List<Chunk> all = new ArrayList<>(reply.chunks());
        byte[] more;
        while ((more = server.pollOutgoingPacket()) != null) {
            all.addAll(SctpPacket.parse(ByteBuffer.wrap(more)).chunks());
        }
        assertTrue(all.stream().anyMatch(c -> c instanceof CookieAckChunk));
        SackChunk sack = (SackChunk) all.stream().filter(c -> c instanceof SackChunk).findFirst().orElseThrow();
        assertEquals(0x945795c0L, sack.cumulativeTsnAck());
        DataChunk ack = (DataChunk) all.stream().filter(c -> c instanceof DataChunk).findFirst().orElseThrow();
        assertEquals(0, ack.streamId());
        assertEquals(Ppid.DCEP, ack.ppid());
        assertEquals(initAck.initialTsn(), ack.tsn());
        assertEquals(new DcepAck(), DcepMessage.parse(ack.payload()));
    }
}
