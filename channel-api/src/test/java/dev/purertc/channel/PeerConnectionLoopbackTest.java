package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.purertc.dtls.DtlsRole;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.sctp.channel.ReadyState;

class PeerConnectionLoopbackTest {

    /** ice4j's process-wide pools start with the first agent; start them before any thread baseline. */
    @BeforeAll
    static void warmUpIce4jSharedPools() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            a.pc.createDataChannel("warm-up");
            Signaling.negotiate(a, b);
            a.awaitState(PeerConnectionState.CONNECTED);
            b.awaitState(PeerConnectionState.CONNECTED);
        }
    }

    @Test
    void twoPeersExchangeEveryMessageKindOnChannelsFromBothSidesThenCloseAndLeaveNoThread() throws Exception {
        ThreadCensus census = new ThreadCensus();
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        Peer a = Signaling.create(factory, Peer.loopback().build());
        Peer b = Signaling.create(factory, Peer.loopback().build());
        Recorder aChat = new Recorder();
        Recorder bChat = new Recorder();
        b.remoteChannelListener = bChat;
        RTCDataChannel chatAtA = a.pc.createDataChannel("chat", RTCDataChannelInit.defaults().withProtocol("json"));
        chatAtA.setListener(aChat);

        Signaling.negotiate(a, b);
        a.awaitState(PeerConnectionState.CONNECTED);
        b.awaitState(PeerConnectionState.CONNECTED);
        Recorder.await(aChat.opened, "chat open at A");
        RTCDataChannel chatAtB = b.awaitRemoteChannel();
        Recorder.await(bChat.opened, "chat open at B");

        // A channel opened by the answerer once connected.
        Recorder aFiles = new Recorder();
        Recorder bFiles = new Recorder();
        a.remoteChannelListener = aFiles;
        RTCDataChannel filesAtB = b.pc.createDataChannel("files", RTCDataChannelInit.defaults(), bFiles);
        Recorder.await(bFiles.opened, "files open at B");
        RTCDataChannel filesAtA = a.awaitRemoteChannel();
        Recorder.await(aFiles.opened, "files open at A");

        assertEquals("chat", chatAtB.label());
        assertEquals("json", chatAtB.protocol());
        assertEquals(chatAtA.id(), chatAtB.id());
        assertEquals(1, chatAtA.id() % 2, "offerer is the DTLS server and uses odd ids (RFC 8832 §6)");
        assertEquals(0, filesAtB.id() % 2, "answerer is the DTLS client and uses even ids");
        assertEquals(filesAtB.id(), filesAtA.id());
        assertEquals(DtlsRole.SERVER, a.pc.dtlsRole());
        assertEquals(DtlsRole.CLIENT, b.pc.dtlsRole());
        assertEquals(262144, chatAtA.maxMessageSize());
        assertEquals(SignalingState.STABLE, a.pc.signalingState());
        assertEquals(List.of(SignalingState.HAVE_LOCAL_OFFER, SignalingState.STABLE), a.signalingStates);
        assertEquals(List.of(SignalingState.HAVE_REMOTE_OFFER, SignalingState.STABLE), b.signalingStates);
        assertTrue(a.candidates.stream().allMatch(c -> c.candidate().contains(" 127.0.0.1 ") && "0".equals(c.sdpMid())),
                a.candidates.toString());

        // Every kind of message, both directions, exact.
        chatAtA.send("hello");
        chatAtA.send("");
        chatAtA.send("grüße ✓");
        chatAtA.send(new byte[] {0, 1, 2, (byte) 255});
        chatAtA.send(new byte[0]);
        assertEquals("hello", bChat.next());
        assertEquals("", bChat.next());
        assertEquals("grüße ✓", bChat.next());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) bChat.next());
        assertArrayEquals(new byte[0], assertInstanceOf(byte[].class, bChat.next()));
        filesAtA.send("from A on B's channel");
        filesAtB.send(new byte[] {42});
        chatAtB.send("");
        assertEquals("from A on B's channel", bFiles.next());
        assertArrayEquals(new byte[] {42}, (byte[]) aFiles.next());
        assertEquals("", assertInstanceOf(String.class, aChat.next()));

        // Close one channel from each side: both ends see it closed.
        chatAtA.close();
        Recorder.await(aChat.closed, "chat closed at A");
        Recorder.await(bChat.closed, "chat closed at B");
        filesAtB.close();
        Recorder.await(bFiles.closed, "files closed at B");
        Recorder.await(aFiles.closed, "files closed at A");
        assertEquals(ReadyState.CLOSED, chatAtB.readyState());
        assertEquals(ReadyState.CLOSED, filesAtA.readyState());
        assertTrue(aChat.errors.isEmpty() && bChat.errors.isEmpty(), aChat.errors + " " + bChat.errors);

        // Closing a connection closes the peer's channels too (SCTP ABORT, then DTLS close_notify).
        Recorder lastAtA = new Recorder();
        Recorder lastAtB = new Recorder();
        b.remoteChannelListener = lastAtB;
        RTCDataChannel last = a.pc.createDataChannel("last", RTCDataChannelInit.defaults(), lastAtA);
        Recorder.await(lastAtA.opened, "last open at A");
        Recorder.await(lastAtB.opened, "last open at B");
        a.pc.close();
        assertEquals(ReadyState.CLOSED, last.readyState());
        Recorder.await(lastAtB.closed, "B's copy of the channel closed when A closed the connection");
        b.pc.close();
        assertEquals(PeerConnectionState.CLOSED, a.pc.connectionState());
        assertEquals(SignalingState.CLOSED, b.pc.signalingState());
        assertEquals(IceConnectionState.CLOSED, b.pc.iceConnectionState());
        assertEquals(0, factory.openConnections());
        factory.close();
        Set<String> left = census.awaitNoNewThreads(Duration.ofSeconds(15));
        assertEquals(Set.of(), left, "threads left after closing the connections and the factory");
    }

    @Test
    void transfers256MebibytesIntactOverOneReliableOrderedChannel() throws Exception {
        final int messageSize = 64 * 1024;
        final long total = 256L * 1024 * 1024;
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            AtomicLong receivedBytes = new AtomicLong();
            Semaphore done = new Semaphore(0);
            b.remoteChannelListener = new RTCDataChannelListener() {
                @Override
                public void onMessage(RTCDataChannel channel, byte[] data) {
                    received.update(data);
                    if (receivedBytes.addAndGet(data.length) == total) {
                        done.release();
                    }
                }
            };
            Semaphore low = new Semaphore(0);
            Recorder opened = new Recorder() {
                @Override
                public void onBufferedAmountLow(RTCDataChannel channel) {
                    low.release();
                }
            };
            RTCDataChannel bulk = a.pc.createDataChannel("bulk");
            bulk.setListener(opened);
            bulk.setBufferedAmountLowThreshold(512 * 1024);
            Signaling.negotiate(a, b);
            Recorder.await(opened.opened, "bulk open");

            byte[] source = new byte[1 << 20];
            new Random(7).nextBytes(source);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            long start = System.nanoTime();
            for (long offset = 0; offset < total; offset += messageSize) {
                int from = (int) (offset % source.length);
                byte[] message = Arrays.copyOfRange(source, from, from + messageSize);
                sent.update(message);
                low.drainPermits();
                if (bulk.bufferedAmount() > 1024 * 1024) {
                    assertTrue(low.tryAcquire(30, TimeUnit.SECONDS), "no buffered-amount-low within 30 s at " + offset);
                }
                bulk.send(message);
            }
            assertTrue(done.tryAcquire(120, TimeUnit.SECONDS), "received " + receivedBytes.get() + " of " + total);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("256 MiB over one channel in %.2f s (%.1f MB/s)%n", seconds, total / 1e6 / seconds);
            assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(received.digest()));
            assertEquals(total, receivedBytes.get());
        }
    }
}
