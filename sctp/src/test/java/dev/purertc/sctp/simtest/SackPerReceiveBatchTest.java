package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.packet.DataChunk;
import dev.purertc.sctp.packet.SackChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.SctpPacketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9260 §6.2: a SACK at least every second DATA packet, at once on gaps; a SACK that travels alone
 * is built when the driver polls, so the packets fed before a poll (one receive batch) get one SACK.
 */
class SackPerReceiveBatchTest {
    private static final long MS = 1_000_000L;

    private static DirectPair connected() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 31);
        pair.a.connect(pair.now);
        pair.b.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.ESTABLISHED
                && pair.b.state() == AssociationState.ESTABLISHED, 10_000 * MS));
        return pair;
    }

    /** Eight one-packet messages from A, as B's driver would read them from its socket. */
    private static List<byte[]> eightDataPackets(DirectPair pair) {
        for (int i = 0; i < 8; i++) {
            pair.a.send(0, 53, new byte[1000], SendOptions.RELIABLE_ORDERED, pair.now);
        }
        List<byte[]> packets = new ArrayList<>();
        byte[] p;
        while ((p = pair.a.pollOutgoingPacket()) != null) {
            packets.add(p);
        }
        assertEquals(8, packets.size());
        return packets;
    }

    private static SctpPacket parse(byte[] packet) throws SctpPacketException {
        return SctpPacket.parse(ByteBuffer.wrap(packet));
    }

    @Test
    void aBatchFedBeforeOnePollIsAcknowledgedByOneSack() throws SctpPacketException {
        DirectPair pair = connected();
        List<byte[]> packets = eightDataPackets(pair);
        long lastTsn = ((DataChunk) parse(packets.get(7)).chunks().get(0)).tsn();

        for (byte[] p : packets) {
            pair.b.handleInput(p, pair.now);
        }
        byte[] first = pair.b.pollOutgoingPacket();

        SctpPacket sack = parse(first);
        assertEquals(1, sack.chunks().size());
        SackChunk chunk = assertInstanceOf(SackChunk.class, sack.chunks().get(0));
        assertEquals(lastTsn, chunk.cumulativeTsnAck());
        assertEquals(List.of(), chunk.gapAckBlocks());
        assertNull(pair.b.pollOutgoingPacket());
    }

    @Test
    void packetsPolledOneByOneAreAcknowledgedEverySecondPacket() throws SctpPacketException {
        DirectPair pair = connected();
        List<byte[]> packets = eightDataPackets(pair);

        List<Long> cumulativeAcks = new ArrayList<>();
        for (byte[] p : packets) {
            pair.b.handleInput(p, pair.now);
            byte[] out;
            while ((out = pair.b.pollOutgoingPacket()) != null) {
                cumulativeAcks.add(((SackChunk) parse(out).chunks().get(0)).cumulativeTsnAck());
            }
        }

        long firstTsn = ((DataChunk) parse(packets.get(0)).chunks().get(0)).tsn();
        assertEquals(List.of(firstTsn + 1, firstTsn + 3, firstTsn + 5, firstTsn + 7), cumulativeAcks);
    }

    @Test
    void aGapInABatchIsReportedOnceAtThePoll() throws SctpPacketException {
        DirectPair pair = connected();
        List<byte[]> packets = eightDataPackets(pair);
        long firstTsn = ((DataChunk) parse(packets.get(0)).chunks().get(0)).tsn();

        for (int i = 0; i < 8; i++) {
            if (i != 2) { // the third packet is lost
                pair.b.handleInput(packets.get(i), pair.now);
            }
        }
        List<SackChunk> sacks = new ArrayList<>();
        byte[] out;
        while ((out = pair.b.pollOutgoingPacket()) != null) {
            sacks.add((SackChunk) parse(out).chunks().get(0));
        }

        assertEquals(1, sacks.size());
        assertEquals(firstTsn + 1, sacks.get(0).cumulativeTsnAck());
        assertEquals(List.of(new SackChunk.GapAckBlock(2, 6)), sacks.get(0).gapAckBlocks());
    }
}
