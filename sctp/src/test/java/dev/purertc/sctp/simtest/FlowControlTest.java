package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.packet.SctpPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlTest {
    private static final long MS = 1_000_000L;

    @Test
    void aReceiverThatDoesNotReadClosesItsWindowAndTheSenderWaits() {
        SctpOptions o = SctpOptions.builder().receiveWindow(256 * 1024).build();
        DirectPair pair = new DirectPair(o, 31);
        pair.a.connect(pair.now);
        pair.exchange();
        pair.eventsB.clear();
        // B's application reads nothing: DirectPair.exchange() polls events, so step by hand here.
        int sent = 0;
        byte[] m = new byte[16 * 1024];
        for (int round = 0; round < 200; round++) {
            while (pair.a.send(0, 53, m, SendOptions.RELIABLE_ORDERED, pair.now) == SendStatus.SUCCESS) {
                sent++;
            }
            byte[] p;
            while ((p = pair.a.pollOutgoingPacket()) != null) {
                pair.b.handleInput(p, pair.now);
            }
            while ((p = pair.b.pollOutgoingPacket()) != null) {
                pair.a.handleInput(p, pair.now);
            }
            pair.now += 100 * MS;
            pair.a.advanceTime(pair.now);
            pair.b.advanceTime(pair.now);
        }
        // B holds at most its window (plus the one probe chunk) however long A keeps sending.
        long held = 0;
        AssociationEvent e;
        List<AssociationEvent> held1 = new ArrayList<>();
        while ((e = pair.b.pollEvent()) != null) {
            if (e instanceof AssociationEvent.MessageReceived r) {
                held += r.payload().length;
                held1.add(e);
            }
        }
        assertTrue(held <= 256 * 1024 + 1200, "held " + held);
        assertTrue(held >= 256 * 1024 - 16 * 1024, "held " + held);
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        // Once B reads, the window reopens: B schedules a window update at once (no wait for a probe).
        assertEquals(pair.now, pair.b.nextTimeoutNanos());
        int total = sent;
        int[] got = {held1.size()};
        boolean done = pair.runUntil(() -> {
            got[0] += (int) pair.eventsB.stream().filter(x -> x instanceof AssociationEvent.MessageReceived).count();
            pair.eventsB.clear();
            return got[0] == total;
        }, 600_000 * MS);
        assertTrue(done, "got " + got[0] + " of " + total);
    }

    @Test
    void zeroChecksumIsUsedOnlyWhenBothSidesAdvertiseIt() throws Exception {
        SctpOptions zc = SctpOptions.builder().zeroChecksumErrorDetectionMethod(1).build();
        DirectPair both = new DirectPair(zc, 32);
        List<byte[]> wire = new ArrayList<>();
        both.dropAtoB = p -> {
            wire.add(p);
            return false;
        };
        both.a.connect(both.now);
        both.exchange();
        both.a.send(0, 53, new byte[100], SendOptions.RELIABLE_ORDERED);
        both.exchange();
        assertTrue(ByteBuffer.wrap(wire.get(0)).getInt(SctpPacket.CHECKSUM_OFFSET) != 0); // INIT keeps its CRC
        assertEquals(0, ByteBuffer.wrap(wire.get(wire.size() - 1)).getInt(SctpPacket.CHECKSUM_OFFSET));
        assertTrue(both.eventsB.stream().anyMatch(x -> x instanceof AssociationEvent.MessageReceived));

        DirectPair one = new DirectPair(zc, SctpOptions.defaults(), 33);
        List<byte[]> wire2 = new ArrayList<>();
        one.dropAtoB = p -> {
            wire2.add(p);
            return false;
        };
        one.a.connect(one.now);
        one.exchange();
        one.a.send(0, 53, new byte[100], SendOptions.RELIABLE_ORDERED);
        one.exchange();
        assertTrue(ByteBuffer.wrap(wire2.get(wire2.size() - 1)).getInt(SctpPacket.CHECKSUM_OFFSET) != 0);
    }

    @Test
    void oneFlushSendsAtMostMaxBurstPackets() throws Exception {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 35);
        pair.a.connect(pair.now);
        pair.exchange();
        // Initial cwnd is 10 MTUs (12,000 bytes) but Max.Burst (4) limits one burst.
        pair.a.send(0, 53, new byte[100_000], SendOptions.RELIABLE_ORDERED);
        int packets = 0;
        while (pair.a.pollOutgoingPacket() != null) {
            packets++;
        }
        assertEquals(4, packets);
    }

    @Test
    void lostCookieEchoIsRetransmitted() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 34);
        int[] aPackets = {0};
        pair.dropAtoB = p -> ++aPackets[0] == 2; // INIT passes, the first COOKIE ECHO is lost
        long start = pair.now;
        pair.a.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.ESTABLISHED, 10_000 * MS));
        assertEquals(start + 500 * MS, pair.now); // T1-cookie at RTO.Initial
        assertEquals(3, aPackets[0]);
    }
}
