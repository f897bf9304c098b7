package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.packet.Chunk;
import dev.purertc.sctp.packet.ErrorChunk;
import dev.purertc.sctp.packet.HeartbeatAckChunk;
import dev.purertc.sctp.packet.HeartbeatInfoParameter;
import dev.purertc.sctp.packet.HeartbeatRequestChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.UnknownChunk;
import dev.purertc.sctp.packet.UnrecognizedChunkTypeCause;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartAndRobustnessTest {
    private static final long MS = 1_000_000L;

    private static void pump(Association x, Association y, long now, List<AssociationEvent> xEvents,
            List<AssociationEvent> yEvents) {
        boolean moved = true;
        while (moved) {
            moved = false;
            byte[] p;
            while ((p = x.pollOutgoingPacket()) != null) {
                y.handleInput(p, now);
                moved = true;
            }
            while ((p = y.pollOutgoingPacket()) != null) {
                x.handleInput(p, now);
                moved = true;
            }
        }
        AssociationEvent e;
        while ((e = x.pollEvent()) != null) {
            xEvents.add(e);
        }
        while ((e = y.pollEvent()) != null) {
            yEvents.add(e);
        }
    }

    @Test
    void peerRestartIsDetectedThroughTieTags() {
        long now = 1_000 * MS;
        Association a = new Association(SctpOptions.defaults(), new Random(1));
        Association b = new Association(SctpOptions.defaults(), new Random(2));
        List<AssociationEvent> ea = new ArrayList<>();
        List<AssociationEvent> eb = new ArrayList<>();
        a.connect(now);
        pump(a, b, now, ea, eb);
        long oldPeerTag = a.peerVerificationTag();
        // B loses its state and starts over with a fresh association on the same ports.
        Association b2 = new Association(SctpOptions.defaults(), new Random(3));
        List<AssociationEvent> eb2 = new ArrayList<>();
        b2.connect(now + MS);
        pump(a, b2, now + MS, ea, eb2);
        assertEquals(AssociationState.ESTABLISHED, b2.state());
        assertEquals(List.of(new AssociationEvent.Connected(), new AssociationEvent.Restarted()), ea);
        assertEquals(b2.localVerificationTag(), a.peerVerificationTag());
        assertTrue(a.peerVerificationTag() != oldPeerTag);
        assertEquals(a.localVerificationTag(), b2.peerVerificationTag());
        a.send(3, 53, new byte[] {42}, SendOptions.RELIABLE_ORDERED, now + 2 * MS);
        pump(a, b2, now + 2 * MS, ea, eb2);
        var m = (AssociationEvent.MessageReceived) eb2.get(1);
        assertArrayEquals(new byte[] {42}, m.payload());
    }

    @Test
    void staleCookieIsRejectedWithAStaleCookieError() throws Exception {
        long now = 1_000 * MS;
        SctpOptions o = SctpOptions.builder().cookieLifetime(1_000 * MS).build();
        Association a = new Association(o, new Random(4));
        Association b = new Association(o, new Random(5));
        a.connect(now);
        b.handleInput(a.pollOutgoingPacket(), now); // INIT
        a.handleInput(b.pollOutgoingPacket(), now); // INIT ACK
        byte[] cookieEcho = a.pollOutgoingPacket();
        b.handleInput(cookieEcho, now + 1_500 * MS); // too late
        SctpPacket answer = SctpPacket.parse(ByteBuffer.wrap(b.pollOutgoingPacket()));
        ErrorChunk error = (ErrorChunk) answer.chunks().get(0);
        assertEquals(new dev.purertc.sctp.packet.StaleCookieCause(500_000), error.causes().get(0));
        assertEquals(AssociationState.CLOSED, b.state());
        // A starts over with INIT (RFC 9260 §5.2.6) and the handshake completes.
        a.handleInput(answer.toBytes(), now + 1_500 * MS);
        byte[] retry = a.pollOutgoingPacket();
        var init = (dev.purertc.sctp.packet.InitChunk) SctpPacket.parse(ByteBuffer.wrap(retry)).chunks().get(0);
        // The new INIT asks for twice the staleness (500 ms) as a Cookie Preservative.
        assertEquals(new dev.purertc.sctp.packet.CookiePreservativeParameter(1000),
                init.parameter(dev.purertc.sctp.packet.CookiePreservativeParameter.class).orElseThrow());
        b.handleInput(retry, now + 1_500 * MS);
        List<AssociationEvent> ea = new ArrayList<>();
        List<AssociationEvent> eb = new ArrayList<>();
        pump(a, b, now + 1_500 * MS, ea, eb);
        assertEquals(AssociationState.ESTABLISHED, a.state());
        assertEquals(AssociationState.ESTABLISHED, b.state());
    }

    @Test
    void unrecognizedChunksAreSkippedOrReportedByTheirHighBits() throws Exception {
        long now = 1_000 * MS;
        Association a = new Association(SctpOptions.defaults(), new Random(6));
        Association b = new Association(SctpOptions.defaults(), new Random(7));
        a.connect(now);
        pump(a, b, now, new ArrayList<>(), new ArrayList<>());
        // 0xC1: skip and report; 0x41: stop and report; then a HEARTBEAT that only the first case reaches.
        HeartbeatRequestChunk hb = new HeartbeatRequestChunk(List.of(new HeartbeatInfoParameter(new byte[] {1})));
        byte[] skip = new SctpPacket(5000, 5000, b.localVerificationTag(),
                List.<Chunk>of(new UnknownChunk(0xC1, 0, new byte[] {9}), hb)).toBytes();
        b.handleInput(skip, now);
        SctpPacket reply = SctpPacket.parse(ByteBuffer.wrap(b.pollOutgoingPacket()));
        assertEquals(2, reply.chunks().size());
        var cause = (UnrecognizedChunkTypeCause) ((ErrorChunk) reply.chunks().get(0)).causes().get(0);
        assertArrayEquals(new UnknownChunk(0xC1, 0, new byte[] {9}).toChunkBytes(), cause.chunk());
        assertEquals(new HeartbeatAckChunk(hb.parameters()), reply.chunks().get(1));
        byte[] stop = new SctpPacket(5000, 5000, b.localVerificationTag(),
                List.<Chunk>of(new UnknownChunk(0x41, 0, new byte[] {9}), hb)).toBytes();
        b.handleInput(stop, now);
        reply = SctpPacket.parse(ByteBuffer.wrap(b.pollOutgoingPacket()));
        assertEquals(1, reply.chunks().size());
        assertTrue(reply.chunks().get(0) instanceof ErrorChunk);
        // A packet with a wrong verification tag is dropped without an answer (§8.5).
        byte[] wrongTag = new SctpPacket(5000, 5000, b.localVerificationTag() ^ 1, List.<Chunk>of(hb)).toBytes();
        b.handleInput(wrongTag, now);
        assertNull(b.pollOutgoingPacket());
        // A corrupted packet is dropped (§6.8).
        byte[] good = new SctpPacket(5000, 5000, b.localVerificationTag(), List.<Chunk>of(hb)).toBytes();
        good[good.length - 1] ^= 0x55;
        b.handleInput(good, now);
        assertNull(b.pollOutgoingPacket());
    }

    @Test
    void idleAssociationSendsHeartbeatsAndMeasuresRtt() {
        SctpOptions o = SctpOptions.builder().heartbeatInterval(2_000 * MS).build();
        DirectPair pair = new DirectPair(o, 8);
        pair.a.connect(pair.now);
        pair.exchange();
        long before = pair.packetsAtoB + pair.packetsBtoA;
        pair.runUntil(() -> false, 10_000 * MS);
        // Both sides send a HEARTBEAT every interval + RTO (2 s + 500 ms) and get a HEARTBEAT ACK.
        assertEquals(4 * 4, pair.packetsAtoB + pair.packetsBtoA - before);
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        assertEquals(400 * MS, pair.a.currentRto()); // RTT 0 measured: RTO.Min
    }
}
