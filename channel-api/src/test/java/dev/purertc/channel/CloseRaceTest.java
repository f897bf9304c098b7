package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * close() promises to return only once the connection is released. When the peer closes the connection,
 * this side marks itself closed first and starts releasing its transports a moment later, on the loop; a
 * close() from another thread in between must wait for that release instead of returning early (a CI run
 * once read {@code openConnections()} as 1 right after such a close() returned), and a close() on the
 * loop itself must not wait for a release that can start only after its own turn.
 */
class CloseRaceTest {

    @Test
    void awaitWaitsForAnExpectedReleaseThatHasNotStartedYet() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            TransportRelease release = new TransportRelease(factory);
            release.expect();
            CompletableFuture<Boolean> releasedWhenAwaitReturned = new CompletableFuture<>();
            CountDownLatch transportsClosed = new CountDownLatch(1);
            Thread closer = new Thread(() -> {
                release.await(Duration.ofSeconds(30));
                releasedWhenAwaitReturned.complete(transportsClosed.getCount() == 0);
            }, "closer");
            closer.start();
            // The closer must be parked in await, not returned: give it a bounded time to get there.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertFalse(releasedWhenAwaitReturned.isDone(), "await returned before the release started");
            release.start(transportsClosed::countDown);
            assertTrue(releasedWhenAwaitReturned.get(30, TimeUnit.SECONDS), "await returned before the release ended");
        }
    }

    @Test
    void awaitReturnsAtOnceWhenNoReleaseIsExpected() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            TransportRelease release = new TransportRelease(factory);
            long start = System.nanoTime();
            release.await(Duration.ofSeconds(30));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void closeCalledFromAChannelsCloseEventWhenThePeerClosesReturnsAndReleasesTheConnection() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            CompletableFuture<Long> closeMillis = new CompletableFuture<>();
            Recorder atA = new Recorder();
            b.remoteChannelListener = new Recorder() {
                @Override
                public void onClose(RTCDataChannel channel) {
                    super.onClose(channel);
                    long start = System.nanoTime();
                    b.pc.close(); // on the loop, while the peer's abort is being handled
                    closeMillis.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            };
            a.pc.createDataChannel("c", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "open at A");
            a.pc.close();
            long millis = closeMillis.get(30, TimeUnit.SECONDS);
            assertTrue(millis < 5_000, "close() on the loop took " + millis + " ms");
            assertEquals(PeerConnectionState.CLOSED, b.pc.connectionState());
            assertEquals(0, factory.openConnections());
        }
    }
}
