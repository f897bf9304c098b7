package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.packet.ChunkType;
import dev.purertc.sctp.packet.ForwardTsnSupportedParameter;
import dev.purertc.sctp.packet.InitChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.SupportedExtensionsParameter;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final long MS = 1_000_000L;

    @Test
    void initAdvertisesWebRtcCapabilitiesAnd65535Streams() throws Exception {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 1);
        pair.a.connect(pair.now);
        SctpPacket p = SctpPacket.parse(ByteBuffer.wrap(pair.a.pollOutgoingPacket()));
        assertEquals(0, p.verificationTag());
        assertEquals(5000, p.sourcePort());
        InitChunk init = (InitChunk) p.chunks().get(0);
        assertEquals(65535, init.outboundStreams());
        assertEquals(65535, init.inboundStreams());
        assertEquals(5L * 1024 * 1024, init.advertisedReceiverWindowCredit());
        assertEquals(List.of(ChunkType.RE_CONFIG, ChunkType.FORWARD_TSN),
                init.parameter(SupportedExtensionsParameter.class).orElseThrow().chunkTypes());
        assertTrue(init.parameter(ForwardTsnSupportedParameter.class).isPresent());
        assertEquals(2, init.parameters().size()); // no address parameters (RFC 8261), no zero checksum
    }

    @Test
    void fourWayHandshakeConnectsBothSides() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 2);
        pair.a.connect(pair.now);
        pair.exchange();
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        assertEquals(AssociationState.ESTABLISHED, pair.b.state());
        assertEquals(4, pair.packetsAtoB + pair.packetsBtoA); // INIT, INIT ACK, COOKIE ECHO, COOKIE ACK
        assertEquals(List.of(new AssociationEvent.Connected()), pair.eventsA);
        assertEquals(List.of(new AssociationEvent.Connected()), pair.eventsB);
        assertEquals(pair.a.localVerificationTag(), pair.b.peerVerificationTag());
        assertEquals(pair.b.localVerificationTag(), pair.a.peerVerificationTag());
    }

    @Test
    void simultaneousConnectResolvesTheInitCollision() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 3);
        pair.a.connect(pair.now);
        pair.b.connect(pair.now);
        // Deliver both INITs before anything else: each side is in COOKIE-WAIT when the other's arrives.
        byte[] initA = pair.a.pollOutgoingPacket();
        byte[] initB = pair.b.pollOutgoingPacket();
        pair.b.handleInput(initA, pair.now);
        pair.a.handleInput(initB, pair.now);
        pair.exchange();
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        assertEquals(AssociationState.ESTABLISHED, pair.b.state());
        assertEquals(1, pair.eventsA.stream().filter(e -> e instanceof AssociationEvent.Connected).count());
        assertEquals(1, pair.eventsB.stream().filter(e -> e instanceof AssociationEvent.Connected).count());
        assertEquals(pair.a.localVerificationTag(), pair.b.peerVerificationTag());
        assertEquals(pair.b.localVerificationTag(), pair.a.peerVerificationTag());
        // Data flows both ways afterwards.
        assertEquals(SendStatus.SUCCESS, pair.a.send(1, 53, new byte[] {1, 2, 3}, SendOptions.RELIABLE_ORDERED));
        assertEquals(SendStatus.SUCCESS, pair.b.send(2, 53, new byte[] {4}, SendOptions.RELIABLE_ORDERED));
        pair.exchange();
        var ma = (AssociationEvent.MessageReceived) pair.eventsB.get(pair.eventsB.size() - 1);
        assertEquals(1, ma.streamId());
        assertArrayEquals(new byte[] {1, 2, 3}, ma.payload());
        var mb = (AssociationEvent.MessageReceived) pair.eventsA.get(pair.eventsA.size() - 1);
        assertArrayEquals(new byte[] {4}, mb.payload());
    }

    @Test
    void lostInitAndCookieEchoAreRetransmittedWithBackoff() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 4);
        int[] dropped = {0};
        pair.dropAtoB = p -> dropped[0]++ < 2; // the first INIT and its first retransmission
        long start = pair.now;
        pair.a.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.ESTABLISHED, 10_000 * MS));
        // T1-init: 500 ms, then 1000 ms (doubled): the third INIT goes out at 1.5 s.
        assertEquals(start + 1500 * MS, pair.now);
        assertEquals(AssociationState.ESTABLISHED, pair.b.state());
    }

    @Test
    void handshakeFailsAfterMaxInitRetransmissions() {
        SctpOptions o = SctpOptions.builder().maxInitRetransmissions(3).build();
        DirectPair pair = new DirectPair(o, 5);
        pair.dropAtoB = p -> true;
        pair.a.connect(pair.now);
        pair.runUntil(() -> pair.a.state() == AssociationState.CLOSED, 600_000 * MS);
        assertEquals(AssociationState.CLOSED, pair.a.state());
        assertEquals(4, pair.packetsAtoB); // INIT + 3 retransmissions
        assertTrue(pair.eventsA.get(0) instanceof AssociationEvent.Failed);
    }

    @Test
    void abortIsReportedToThePeer() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 6);
        pair.a.connect(pair.now);
        pair.exchange();
        pair.a.abort("bye", pair.now);
        pair.exchange();
        assertEquals(AssociationState.CLOSED, pair.a.state());
        assertEquals(AssociationState.CLOSED, pair.b.state());
        assertEquals(new AssociationEvent.Aborted(false, "bye"), pair.eventsA.get(1));
        assertEquals(new AssociationEvent.Aborted(true, "bye"), pair.eventsB.get(1));
    }

    @Test
    void gracefulShutdownDeliversQueuedDataFirst() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 7);
        pair.a.connect(pair.now);
        pair.exchange();
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        assertEquals(SendStatus.SUCCESS, pair.a.send(0, 53, big, SendOptions.RELIABLE_ORDERED));
        pair.a.shutdown(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.CLOSED
                && pair.b.state() == AssociationState.CLOSED, 10_000 * MS));
        var m = (AssociationEvent.MessageReceived) pair.eventsB.get(1);
        assertArrayEquals(big, m.payload());
        assertEquals(new AssociationEvent.Closed(), pair.eventsA.get(pair.eventsA.size() - 1));
        assertEquals(new AssociationEvent.Closed(), pair.eventsB.get(pair.eventsB.size() - 1));
    }

    @Test
    void simultaneousShutdownClosesBothSides() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 8);
        pair.a.connect(pair.now);
        pair.exchange();
        pair.a.send(0, 53, new byte[30_000], SendOptions.RELIABLE_ORDERED);
        pair.b.send(1, 53, new byte[30_000], SendOptions.RELIABLE_ORDERED);
        pair.a.shutdown(pair.now);
        pair.b.shutdown(pair.now);
        assertEquals(SendStatus.NOT_CONNECTED, pair.a.send(0, 53, new byte[1], SendOptions.RELIABLE_ORDERED));
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.CLOSED
                && pair.b.state() == AssociationState.CLOSED, 10_000 * MS));
        assertTrue(pair.eventsA.stream().anyMatch(e -> e instanceof AssociationEvent.MessageReceived m
                && m.payload().length == 30_000));
        assertTrue(pair.eventsB.stream().anyMatch(e -> e instanceof AssociationEvent.MessageReceived m
                && m.payload().length == 30_000));
        assertEquals(new AssociationEvent.Closed(), pair.eventsA.get(pair.eventsA.size() - 1));
        assertEquals(new AssociationEvent.Closed(), pair.eventsB.get(pair.eventsB.size() - 1));
    }
}
