package dev.purertc.sctp.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.dcep.Ppid;
import dev.purertc.sctp.packet.DataChunk;
import dev.purertc.sctp.packet.AbortChunk;
import dev.purertc.sctp.packet.ProtocolViolationCause;
import dev.purertc.sctp.packet.SctpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataChannelsTest {
    private static final long S = 1_000_000_000L;

    /** Records everything a channel reports. */
    static final class Recorder implements DataChannelListener {
        final List<Object> messages = new ArrayList<>();
        final List<String> lifecycle = new ArrayList<>();

        @Override public void onOpen(DataChannel c) { lifecycle.add("open"); }
        @Override public void onMessage(DataChannel c, String text) { messages.add(text); }
        @Override public void onMessage(DataChannel c, byte[] data) { messages.add(data); }
        @Override public void onClosing(DataChannel c) { lifecycle.add("closing"); }
        @Override public void onClose(DataChannel c) { lifecycle.add("close"); }
        @Override public void onBufferedAmountLow(DataChannel c) { lifecycle.add("low"); }
        @Override public void onError(DataChannel c, String e) { lifecycle.add("error " + e); }
    }

    private static List<DataChannel> remoteChannels(DataChannels side, Recorder recorder) {
        List<DataChannel> list = new ArrayList<>();
        side.setListener(new DataChannels.Listener() {
            @Override public void onDataChannel(DataChannel channel) {
                channel.setListener(recorder);
                list.add(channel);
            }
        });
        return list;
    }

    @Test
    void dcepOpensChannelsWithTheirParametersAndEvenOddIds() {
        ChannelPair p = ChannelPair.connected(1);
        Recorder onB = new Recorder();
        Recorder onA = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        List<DataChannel> atA = remoteChannels(p.a, onA);
        DataChannel fromA = p.a.createDataChannel("chat", DataChannelInit.DEFAULT.withProtocol("proto-1"));
        DataChannel fromA2 = p.a.createDataChannel("lossy",
                DataChannelInit.DEFAULT.withOrdered(false).withMaxRetransmits(3).withPriority(512));
        DataChannel fromB = p.b.createDataChannel("timed", DataChannelInit.DEFAULT.withMaxPacketLifeTimeMillis(150));
        // RFC 8832 §6, as browsers do: on a connected association the opener's channel is open as soon as
        // its DATA_CHANNEL_OPEN is queued, without waiting a round trip for the ACK.
        assertEquals(ReadyState.OPEN, fromA.readyState());
        p.exchange();
        assertEquals(0, fromA.id());
        assertEquals(2, fromA2.id());
        assertEquals(1, fromB.id());
        assertEquals(ReadyState.OPEN, fromA.readyState());
        assertEquals(ReadyState.OPEN, fromB.readyState());
        assertEquals(2, atB.size());
        assertEquals("chat", atB.get(0).label());
        assertEquals("proto-1", atB.get(0).protocol());
        assertTrue(atB.get(0).ordered());
        assertEquals(-1, atB.get(0).maxRetransmits());
        assertEquals("lossy", atB.get(1).label());
        assertEquals(false, atB.get(1).ordered());
        assertEquals(3, atB.get(1).maxRetransmits());
        assertEquals(512, atB.get(1).priority());
        assertEquals(1, atA.size());
        assertEquals(150, atA.get(0).maxPacketLifeTimeMillis());
        assertEquals(List.of("open"), onB.lifecycle.subList(0, 1));
    }

    @Test
    void stringBinaryAndEmptyMessagesUseTheirPpids() {
        ChannelPair p = ChannelPair.connected(2);
        Recorder onB = new Recorder();
        remoteChannels(p.b, onB);
        DataChannel c = p.a.createDataChannel("x", DataChannelInit.DEFAULT);
        p.exchange();
        c.send("héllo");
        c.send("");
        c.send(new byte[] {1, 2, 3});
        c.send(new byte[0]);
        c.send(java.nio.ByteBuffer.wrap(new byte[] {9, 8}));
        p.exchange();
        assertEquals(5, onB.messages.size());
        assertEquals("héllo", onB.messages.get(0));
        assertEquals("", onB.messages.get(1));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) onB.messages.get(2));
        assertArrayEquals(new byte[0], (byte[]) onB.messages.get(3));
        assertArrayEquals(new byte[] {9, 8}, (byte[]) onB.messages.get(4));
    }

    @Test
    void negotiatedChannelsSkipDcep() {
        ChannelPair p = ChannelPair.connected(3);
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        List<DataChannel> announced = remoteChannels(p.b, new Recorder());
        DataChannel ca = p.a.createDataChannel("n", DataChannelInit.DEFAULT.withNegotiatedId(7));
        DataChannel cb = p.b.createDataChannel("n", DataChannelInit.DEFAULT.withNegotiatedId(7));
        ca.setListener(onA);
        cb.setListener(onB);
        assertEquals(ReadyState.OPEN, ca.readyState());
        ca.send("ping");
        p.exchange();
        cb.send("pong");
        p.exchange();
        assertEquals(List.of("ping"), onB.messages);
        assertEquals(List.of("pong"), onA.messages);
        assertEquals(0, announced.size());
    }

    @Test
    void messageOfMaxSizeIsDeliveredAndLargerSendThrowsAndSendsNothing() {
        ChannelPair p = ChannelPair.connected(4);
        Recorder onB = new Recorder();
        remoteChannels(p.b, onB);
        DataChannel c = p.a.createDataChannel("big", DataChannelInit.DEFAULT);
        p.exchange();
        assertEquals(262144, c.maxMessageSize());
        byte[] max = new byte[262144];
        new java.util.Random(5).nextBytes(max);
        c.send(max);
        long buffered = c.bufferedAmount();
        assertTrue(buffered > 200_000, "most of the message waits for the congestion window: " + buffered);
        assertThrows(MessageTooLargeException.class, () -> c.send(new byte[262145]));
        assertEquals(buffered, c.bufferedAmount()); // nothing of the oversized message was queued
        assertTrue(p.runUntil(() -> onB.messages.size() == 1, 10 * S));
        p.runUntil(() -> false, 1 * S);
        assertEquals(1, onB.messages.size());
        assertArrayEquals(max, (byte[]) onB.messages.get(0));
    }

    @Test
    void closingUnderLoadDeliversEverythingSentBeforeClose() {
        ChannelPair p = ChannelPair.connected(5);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("load", DataChannelInit.DEFAULT, onA);
        p.exchange();
        java.util.Random r = new java.util.Random(6);
        p.dropAtoB = pkt -> r.nextDouble() < 0.1;
        p.dropBtoA = pkt -> r.nextDouble() < 0.1;
        int count = 150;
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[10_000];
            java.nio.ByteBuffer.wrap(m).putInt(i);
            c.send(m);
        }
        c.close();
        assertEquals(ReadyState.CLOSING, c.readyState());
        assertThrows(IllegalStateException.class, () -> c.send("late"));
        assertTrue(p.runUntil(() -> c.readyState() == ReadyState.CLOSED
                && atB.get(0).readyState() == ReadyState.CLOSED, 600 * S));
        assertEquals(count, onB.messages.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, java.nio.ByteBuffer.wrap((byte[]) onB.messages.get(i)).getInt());
        }
        assertEquals(List.of("open", "closing", "close"), onB.lifecycle);
        // The buffer drains after close(): bufferedamountlow fires while CLOSING, as in browsers.
        assertEquals(List.of("open", "closing", "low", "close"), onA.lifecycle);
        assertEquals(0, p.a.channels().size());
        assertEquals(0, p.b.channels().size());
    }

    /**
     * The interop close test's case, made deterministic: twenty messages and then close(), with every
     * packet carrying the messages held back until the stream reset request has reached the peer.
     * The request must name a last TSN that covers the messages (RFC 6525 §5.1.2), and the peer must
     * answer "in progress", deliver all twenty in order once they arrive, and only then close.
     */
    @Test
    void messagesOvertakenByTheStreamResetAreDeliveredBeforeTheClose() throws Exception {
        ChannelPair p = ChannelPair.connected(11);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        DataChannel c = p.a.createDataChannel("chat", DataChannelInit.DEFAULT);
        p.exchange();
        assertEquals(ReadyState.OPEN, c.readyState());
        List<byte[]> held = new ArrayList<>();
        List<Long> dataTsns = new ArrayList<>();
        List<Long> requestedLastTsns = new ArrayList<>();
        boolean[] requestPassed = {false};
        p.dropAtoB = pkt -> {
            SctpPacket packet = parse(pkt);
            boolean carriesData = false;
            for (var chunk : packet.chunks()) {
                if (chunk instanceof dev.purertc.sctp.packet.DataChunk d && d.streamId() == c.id()) {
                    dataTsns.add(d.tsn());
                    carriesData = true;
                } else if (chunk instanceof dev.purertc.sctp.packet.ReConfigChunk r) {
                    for (var param : r.parameters()) {
                        if (param instanceof dev.purertc.sctp.packet.OutgoingSsnResetRequestParameter req) {
                            requestedLastTsns.add(req.senderLastAssignedTsn());
                        }
                    }
                }
            }
            if (!requestPassed[0] && carriesData) {
                held.add(pkt);
                return true;
            }
            if (!requestedLastTsns.isEmpty()) {
                requestPassed[0] = true;
            }
            return false;
        };
        for (int i = 0; i < 20; i++) {
            c.send("before close " + i);
        }
        c.close();
        p.exchange();
        assertTrue(requestPassed[0], "the reset request left before the messages arrived");
        assertEquals(20, dataTsns.size());
        long lastDataTsn = java.util.Collections.max(dataTsns);
        assertEquals(lastDataTsn, (long) requestedLastTsns.get(0));
        assertEquals(List.of(), onB.messages, "nothing delivered while the messages are held");
        assertEquals(ReadyState.OPEN, atB.get(0).readyState(), "B closed before the messages came");
        for (byte[] pkt : held) {
            p.b.handleInput(pkt, p.now);
        }
        assertTrue(p.runUntil(() -> c.readyState() == ReadyState.CLOSED
                && atB.get(0).readyState() == ReadyState.CLOSED, 60 * S));
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("before close " + i);
        }
        assertEquals(expected, onB.messages);
        assertEquals(List.of("open", "closing", "close"), onB.lifecycle);
    }

    @Test
    void theOpenerIsOpenBeforeTheAckAndAnUnorderedChannelSendsOrderedUntilTheAckArrives() {
        ChannelPair p = ChannelPair.connected(21);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("fast", DataChannelInit.DEFAULT.withOrdered(false), onA);
        assertEquals(List.of("open"), onA.lifecycle, "open as soon as the OPEN is queued");
        c.send("before the ack");
        // The OPEN and the first message leave before anything came back: the message goes ordered, so it
        // cannot reach B before the OPEN that creates B's channel.
        List<DataChunk> sentBeforeAck = new ArrayList<>();
        byte[] packet;
        List<byte[]> held = new ArrayList<>();
        while ((packet = p.a.pollOutgoingPacket()) != null) {
            held.add(packet);
            sentBeforeAck.addAll(dataChunks(packet));
        }
        assertEquals(2, sentBeforeAck.size(), sentBeforeAck.toString());
        assertEquals(Ppid.DCEP, sentBeforeAck.get(0).ppid());
        assertEquals(Ppid.STRING, sentBeforeAck.get(1).ppid());
        assertFalse(sentBeforeAck.get(1).unordered(), "a message before the ACK goes ordered");
        for (byte[] pkt : held) {
            p.b.handleInput(pkt, p.now);
        }
        p.exchange(); // B's ACK reaches A
        assertEquals(List.of("before the ack"), onB.messages);
        assertEquals(false, atB.get(0).ordered());
        c.send("after the ack");
        List<DataChunk> sentAfterAck = new ArrayList<>();
        while ((packet = p.a.pollOutgoingPacket()) != null) {
            sentAfterAck.addAll(dataChunks(packet));
            p.b.handleInput(packet, p.now);
        }
        assertEquals(1, sentAfterAck.size(), sentAfterAck.toString());
        assertTrue(sentAfterAck.get(0).unordered(), "after the ACK the channel sends unordered");
        p.exchange();
        assertEquals(List.of("before the ack", "after the ack"), onB.messages);
    }

    @Test
    void aChannelCreatedBeforeTheAssociationIsUpOpensWhenItComesUpWithoutWaitingForTheAck() {
        ChannelPair p = new ChannelPair(SctpOptions.defaults(), 22);
        p.a.setRemoteMaxMessageSize(262144);
        p.b.setRemoteMaxMessageSize(262144);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("early", DataChannelInit.DEFAULT, onA);
        p.b.setListener(new DataChannels.Listener() { });
        p.a.connect(p.now);
        p.b.connect(p.now);
        assertEquals(ReadyState.CONNECTING, c.readyState());
        // Deliver everything but B's DCEP ACK: A's channel is open all the same.
        p.dropBtoA = pkt -> dataChunks(pkt).stream().anyMatch(d -> d.ppid() == Ppid.DCEP);
        p.exchange();
        assertEquals(ReadyState.OPEN, c.readyState());
        assertEquals(List.of("open"), onA.lifecycle);
    }

    private static List<DataChunk> dataChunks(byte[] packet) {
        List<DataChunk> data = new ArrayList<>();
        for (var chunk : parse(packet).chunks()) {
            if (chunk instanceof DataChunk d) {
                data.add(d);
            }
        }
        return data;
    }

    private static SctpPacket parse(byte[] packet) {
        try {
            return SctpPacket.parse(java.nio.ByteBuffer.wrap(packet));
        } catch (dev.purertc.sctp.packet.SctpPacketException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aThousandChannelsOpenAndCloseOnOneAssociation() {
        ChannelPair p = ChannelPair.connected(7);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        List<DataChannel> mine = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            mine.add(p.a.createDataChannel("c" + i, DataChannelInit.DEFAULT));
        }
        assertTrue(p.runUntil(() -> mine.stream().allMatch(c -> c.readyState() == ReadyState.OPEN), 60 * S));
        assertEquals(1000, atB.size());
        for (int i = 0; i < 1000; i++) {
            mine.get(i).send("m" + i);
        }
        for (DataChannel c : mine) {
            c.close();
        }
        boolean closed = p.runUntil(() -> mine.stream().allMatch(c -> c.readyState() == ReadyState.CLOSED)
                && atB.stream().allMatch(c -> c.readyState() == ReadyState.CLOSED), 600 * S);
        assertTrue(closed, () -> "A: " + mine.stream().filter(c -> c.readyState() != ReadyState.CLOSED).count()
                + " open, B: " + atB.stream().filter(c -> c.readyState() != ReadyState.CLOSED).count() + " open, "
                + p.a.association().state() + " " + p.b.association().state() + " msgs " + onB.messages.size()
                + " " + mine.get(0) + " " + atB.get(0));
        assertEquals(1000, onB.messages.size());
        assertEquals("m0", onB.messages.get(0));
        assertEquals("m999", onB.messages.get(999));
        assertEquals(0, p.a.channels().size());
        assertEquals(0, p.b.channels().size());
        // Ids are free again and the streams start over at SSN 0.
        DataChannel again = p.a.createDataChannel("again", DataChannelInit.DEFAULT);
        assertEquals(0, again.id());
        assertTrue(p.runUntil(() -> again.readyState() == ReadyState.OPEN, 10 * S),
                () -> atB.size() + " " + p.b.channels() + " " + again);
        again.send("after reset");
        p.exchange();
        assertEquals("after reset", onB.messages.get(1000));
    }

    @Test
    void remoteCloseClosesBothSides() {
        ChannelPair p = ChannelPair.connected(8);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("x", DataChannelInit.DEFAULT, onA);
        p.exchange();
        atB.get(0).close();
        assertTrue(p.runUntil(() -> c.readyState() == ReadyState.CLOSED
                && atB.get(0).readyState() == ReadyState.CLOSED, 10 * S));
        assertEquals(List.of("open", "closing", "close"), onA.lifecycle);
    }

    @Test
    void associationAbortClosesEveryChannel() {
        ChannelPair p = ChannelPair.connected(9);
        List<AssociationEvent> ended = new ArrayList<>();
        p.b.setListener(new DataChannels.Listener() {
            @Override public void onAssociationEnded(AssociationEvent reason) { ended.add(reason); }
        });
        DataChannel c = p.a.createDataChannel("x", DataChannelInit.DEFAULT);
        p.exchange();
        p.a.association().abort("done", p.now);
        p.a.advanceTime(p.now);
        p.exchange();
        assertEquals(ReadyState.CLOSED, c.readyState());
        assertEquals(List.of(new AssociationEvent.Aborted(true, "done")), ended);
        assertEquals(0, p.b.channels().size());
    }

    @Test
    void aCloseEitherApplicationAskedForClosesTheChannelsWithoutAnError() {
        ChannelPair p = ChannelPair.connected(13);
        Recorder onB = new Recorder();
        List<DataChannel> atB = remoteChannels(p.b, onB);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("x", DataChannelInit.DEFAULT, onA);
        p.exchange();
        p.a.close("user closed", p.now);
        p.exchange();
        assertEquals(List.of("open", "close"), onA.lifecycle);
        assertEquals(List.of("open", "close"), onB.lifecycle);
        assertEquals(ReadyState.CLOSED, atB.get(0).readyState());
        assertThrows(IllegalStateException.class, () -> atB.get(0).send("too late"));
    }

    @Test
    void anAbortForAProtocolErrorClosesTheChannelsWithAnErrorNamingIt() {
        ChannelPair p = ChannelPair.connected(16);
        Recorder onB = new Recorder();
        List<AssociationEvent> ended = new ArrayList<>();
        List<DataChannel> atB = new ArrayList<>();
        p.b.setListener(new DataChannels.Listener() {
            @Override public void onDataChannel(DataChannel channel) {
                channel.setListener(onB);
                atB.add(channel);
            }
            @Override public void onAssociationEnded(AssociationEvent reason) { ended.add(reason); }
        });
        p.a.createDataChannel("x", DataChannelInit.DEFAULT);
        p.exchange();
        byte[] abort = new SctpPacket(5000, 5000, p.a.association().peerVerificationTag(),
                List.of(new AbortChunk(false, List.of(ProtocolViolationCause.ofInfo("bad chunk"))))).toBytes();
        p.b.handleInput(abort, p.now);
        assertEquals(List.of("open", "error the peer aborted the SCTP association: bad chunk", "close"), onB.lifecycle);
        assertEquals(List.of(new AssociationEvent.Aborted(true, "bad chunk", false)), ended);
        assertThrows(IllegalStateException.class, () -> atB.get(0).send("too late"));
    }

    @Test
    void aShutdownByThePeerClosesEveryChannelAfterDeliveringItsData() {
        ChannelPair p = ChannelPair.connected(14);
        Recorder onB = new Recorder();
        remoteChannels(p.b, onB);
        Recorder onA = new Recorder();
        DataChannel c = p.a.createDataChannel("x", DataChannelInit.DEFAULT, onA);
        p.exchange();
        c.send("last words");
        p.a.shutdown(p.now);
        assertTrue(p.runUntil(() -> c.readyState() == ReadyState.CLOSED && onB.lifecycle.contains("close"), 10 * S));
        assertEquals(List.of("open", "low", "close"), onA.lifecycle); // low: "last words" left the queue
        assertEquals(List.of("last words"), onB.messages);
        assertEquals(List.of("open", "close"), onB.lifecycle);
    }

    @Test
    void anOversizedMessageClosesOnlyItsChannelWithAnErrorNamingSizeAndLimit() {
        // A ignores B's max-message-size: it believes B takes 1 MiB, B's limit is 256 KiB.
        ChannelPair p = new ChannelPair(dev.purertc.sctp.SctpOptions.builder().maxMessageSize(1 << 20).build(),
                dev.purertc.sctp.SctpOptions.defaults(), 15);
        p.a.setRemoteMaxMessageSize(1 << 20);
        p.b.setRemoteMaxMessageSize(1 << 20);
        p.a.connect(p.now);
        p.b.connect(p.now);
        p.exchange();
        Recorder onB = new Recorder();
        Recorder onOtherB = new Recorder();
        List<DataChannel> atB = new ArrayList<>();
        p.b.setListener(new DataChannels.Listener() {
            @Override public void onDataChannel(DataChannel channel) {
                channel.setListener(channel.label().equals("other") ? onOtherB : onB);
                atB.add(channel);
            }
        });
        Recorder onVictimA = new Recorder();
        DataChannel victim = p.a.createDataChannel("victim", DataChannelInit.DEFAULT, onVictimA);
        DataChannel other = p.a.createDataChannel("other", DataChannelInit.DEFAULT);
        p.exchange();

        victim.send(new byte[262145]);
        victim.send("behind it");
        other.send("before");
        assertTrue(p.runUntil(() -> victim.readyState() == ReadyState.CLOSED
                && atB.get(0).readyState() == ReadyState.CLOSED, 10 * S));
        other.send("after");
        p.exchange();

        assertEquals(List.of("open", "error a message of at least 262145 bytes on stream 0 exceeds the "
                + "max-message-size of 262144: the channel closes", "closing", "close"), onB.lifecycle);
        assertEquals(List.of(), onB.messages);
        assertEquals(List.of("open", "low", "closing", "close"), onVictimA.lifecycle);
        assertEquals(List.of("before", "after"), onOtherB.messages);
        assertEquals(ReadyState.OPEN, other.readyState());
        assertEquals(dev.purertc.sctp.AssociationState.ESTABLISHED, p.b.association().state());
        // The stream was reset both ways: its id serves a new channel.
        DataChannel again = p.a.createDataChannel("again", DataChannelInit.DEFAULT);
        assertEquals(0, again.id());
        p.exchange();
        again.send("fits");
        p.exchange();
        assertEquals("again", atB.get(2).label());
        assertEquals(List.of("fits"), onB.messages);
    }

    @Test
    void partiallyReliableChannelsLoseOnlyAbandonedMessagesAndNeverStall() {
        ChannelPair p = ChannelPair.connected(10);
        Recorder lossy = new Recorder();
        Recorder timed = new Recorder();
        Recorder reliable = new Recorder();
        List<DataChannel> atB = new ArrayList<>();
        p.b.setListener(new DataChannels.Listener() {
            @Override public void onDataChannel(DataChannel channel) {
                channel.setListener(switch (channel.label()) {
                    case "rexmit0" -> lossy;
                    case "timed" -> timed;
                    default -> reliable;
                });
                atB.add(channel);
            }
        });
        DataChannel c0 = p.a.createDataChannel("rexmit0", DataChannelInit.DEFAULT.withOrdered(false).withMaxRetransmits(0));
        DataChannel ct = p.a.createDataChannel("timed", DataChannelInit.DEFAULT.withMaxPacketLifeTimeMillis(100));
        DataChannel cr = p.a.createDataChannel("reliable", DataChannelInit.DEFAULT);
        p.exchange();
        assertEquals(3, atB.size());
        assertEquals(false, atB.get(0).ordered());
        assertEquals(0, atB.get(0).maxRetransmits());
        java.util.Random r = new java.util.Random(11);
        p.dropAtoB = pkt -> r.nextDouble() < 0.1;
        for (int i = 0; i < 300; i++) {
            c0.send("u" + i);
            ct.send("t" + i);
            p.exchange();
            p.a.advanceTime(p.now += 1_000_000);
            p.b.advanceTime(p.now);
        }
        cr.send("done");
        assertTrue(p.runUntil(() -> reliable.messages.contains("done"), 600 * S));
        p.runUntil(() -> false, 60 * S); // let every timer play out
        long abandoned = p.a.association().abandonedMessages();
        assertTrue(abandoned > 0);
        assertTrue(600 - lossy.messages.size() - timed.messages.size() <= abandoned,
                lossy.messages.size() + " + " + timed.messages.size() + " delivered, " + abandoned + " abandoned");
        assertEquals(lossy.messages.size(), new java.util.HashSet<>(lossy.messages).size()); // never twice
        List<Integer> order = timed.messages.stream().map(m -> Integer.parseInt(((String) m).substring(1))).toList();
        assertEquals(order.stream().sorted().toList(), order); // the timed channel is ordered
    }

    @Test
    void channelsCreatedBeforeTheAssociationIsUpOpenOnceItIs() {
        ChannelPair p = new ChannelPair(dev.purertc.sctp.SctpOptions.defaults(), 12);
        List<DataChannel> atB = remoteChannels(p.b, new Recorder());
        DataChannel early = p.a.createDataChannel("early", DataChannelInit.DEFAULT);
        DataChannel dropped = p.a.createDataChannel("dropped", DataChannelInit.DEFAULT);
        dropped.close();
        assertEquals(ReadyState.CLOSED, dropped.readyState());
        p.a.connect(p.now);
        p.b.connect(p.now);
        p.exchange();
        assertEquals(ReadyState.OPEN, early.readyState());
        assertEquals(1, atB.size());
        assertEquals("early", atB.get(0).label());
    }
}
