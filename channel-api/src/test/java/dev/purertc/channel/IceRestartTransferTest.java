package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.purertc.dtls.DtlsConnectionInfo;
import dev.purertc.ice.IceAgent;

/**
 * ICE restart (RFC 8445 §9) through renegotiation during a transfer: the offerer restarts, then the
 * answerer does. Each time the ICE credentials change, new checks run on new sockets and the data path
 * moves to the new pair, while the DTLS association and the SCTP association go on: every message
 * arrives exactly once and in order (per-message sequence numbers), the SHA-256 of the whole matches.
 */
class IceRestartTransferTest {

    private static final int MESSAGE = 16 * 1024;
    private static final int MESSAGES = 4096; // 64 MiB
    private static final long BUFFER_HIGH = 1 << 20;

    @Test
    void restartsFromEachSideDuringA64MiBTransferLoseAndDuplicateNothing() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Receiver receiver = new Receiver();
            b.remoteChannelListener = receiver;
            Recorder atA = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("file", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "open at a");
            DtlsConnectionInfo dtlsA = a.pc.dtlsConnectionInfo().orElseThrow();

            // The sender stops at each quarter until the test has started the restart, so each restart
            // happens while data is in flight, whatever the machine's speed.
            Semaphore go = new Semaphore(0);
            AtomicReference<Throwable> sendFailure = new AtomicReference<>();
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CountDownLatch quarter = new CountDownLatch(1);
            CountDownLatch half = new CountDownLatch(1);
            Thread sender = new Thread(() -> {
                try {
                    Random random = new Random(7);
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        if (seq == MESSAGES / 4) {
                            quarter.countDown();
                            assertTrue(go.tryAcquire(30, TimeUnit.SECONDS));
                        } else if (seq == MESSAGES / 2) {
                            half.countDown();
                            assertTrue(go.tryAcquire(30, TimeUnit.SECONDS));
                        }
                        byte[] m = new byte[MESSAGE];
                        random.nextBytes(m);
                        ByteBuffer.wrap(m).putInt(seq);
                        sent.update(m);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (channel.bufferedAmount() > BUFFER_HIGH) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("bufferedAmount did not drain within 30 s at message " + seq);
                            }
                            Thread.sleep(1);
                        }
                        channel.send(m);
                    }
                } catch (Throwable t) {
                    sendFailure.set(t);
                }
            }, "restart-transfer-sender");
            sender.start();

            assertTrue(quarter.await(30, TimeUnit.SECONDS));
            IceAgent.SelectedPair before = a.pc.selectedPair();
            String aUfrag = RenegotiationTest.ufrag(a.pc.localDescription());
            String bUfrag = RenegotiationTest.ufrag(b.pc.localDescription());
            a.pc.restartIce();
            Signaling.negotiate(a, b);
            go.release();
            awaitPairChange(a, before);
            assertNotEquals(aUfrag, RenegotiationTest.ufrag(a.pc.localDescription()));
            assertNotEquals(bUfrag, RenegotiationTest.ufrag(b.pc.localDescription()),
                    "the answerer restarts too when the offer carries new credentials");

            assertTrue(half.await(30, TimeUnit.SECONDS));
            IceAgent.SelectedPair middle = b.pc.selectedPair();
            b.pc.restartIce();
            Signaling.negotiate(b, a);
            go.release();
            awaitPairChange(b, middle);

            sender.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(null, sendFailure.get());
            assertTrue(receiver.done.await(60, TimeUnit.SECONDS), "received " + receiver.count.get());
            assertEquals(List.of(), receiver.errors);
            assertEquals(MESSAGES, receiver.count.get());
            assertArrayEquals(sent.digest(), receiver.digest.digest());
            assertEquals(PeerConnectionState.CONNECTED, a.pc.connectionState());
            assertEquals(PeerConnectionState.CONNECTED, b.pc.connectionState());
            assertEquals(dtlsA, a.pc.dtlsConnectionInfo().orElseThrow(), "the same DTLS association");
            assertEquals(List.of(), atA.errors.stream().toList());
            a.pc.close();
            b.pc.close();
        }
    }

    private static void awaitPairChange(Peer peer, IceAgent.SelectedPair old) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            IceAgent.SelectedPair now = peer.pc.selectedPair();
            if (now != null && !now.local().equals(old.local())) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the data path did not move from " + old + " within 30 s: " + peer.pc.selectedPair());
    }

    /** Checks sequence numbers on the loop and hashes what arrived. */
    private static final class Receiver implements RTCDataChannelListener {
        final MessageDigest digest;
        final AtomicInteger count = new AtomicInteger();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);

        Receiver() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void onMessage(RTCDataChannel channel, byte[] data) {
            int expected = count.get();
            int seq = ByteBuffer.wrap(data).getInt();
            if (seq != expected || data.length != MESSAGE) {
                errors.add("message " + expected + ": sequence " + seq + ", " + data.length + " bytes");
            }
            digest.update(data);
            if (count.incrementAndGet() == MESSAGES) {
                done.countDown();
            }
        }

        @Override
        public void onError(RTCDataChannel channel, String error) {
            errors.add("error: " + error);
        }
    }
}
