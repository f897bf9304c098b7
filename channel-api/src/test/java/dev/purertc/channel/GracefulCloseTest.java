package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * closeGracefully: everything sent before it is delivered, then the association shuts down with
 * SHUTDOWN / SHUTDOWN ACK / SHUTDOWN COMPLETE (the peer's channel closes, nothing is aborted) and the
 * connection closes. close(), for contrast, aborts and may drop what is queued.
 */
class GracefulCloseTest {

    private static final int MESSAGES = 100;
    private static final int SIZE = 16 * 1024;

    @Test
    void everyQueuedMessageArrivesBeforeTheConnectionCloses() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("bulk", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "open");
            // 1.6 MB queued at once (under the 2 MB send buffer): far more than one round trip carries, so most of it is still in
            // PureRTC's buffers when closeGracefully is called.
            for (int i = 0; i < MESSAGES; i++) {
                channel.send(message(i));
            }
            a.pc.closeGracefully(Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
            assertEquals(PeerConnectionState.CLOSED, a.pc.connectionState());
            for (int i = 0; i < MESSAGES; i++) {
                assertArrayEquals(message(i), (byte[]) atB.next(), "message " + i);
            }
            assertTrue(atB.closed.await(Peer.WAIT.toMillis(), TimeUnit.MILLISECONDS), "the peer's channel never closed");
            assertTrue(atA.errors.isEmpty() && atB.errors.isEmpty(), atA.errors + " / " + atB.errors);
            // The peer learns of the close from SCTP's SHUTDOWN: its connection is CLOSED at once.
            b.awaitState(PeerConnectionState.CLOSED, Duration.ofSeconds(1));
            b.pc.close();
        }
    }

    @Test
    void withoutAnAssociationItClosesAtOnce() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            a.pc.closeGracefully(Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
            assertEquals(PeerConnectionState.CLOSED, a.pc.connectionState());
        }
    }

    private static byte[] message(int i) {
        byte[] m = new byte[SIZE];
        for (int j = 0; j < SIZE; j++) {
            m[j] = (byte) (i * 31 + j);
        }
        return m;
    }
}
