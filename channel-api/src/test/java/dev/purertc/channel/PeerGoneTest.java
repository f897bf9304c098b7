package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.IceConnectionState;
import dev.purertc.sctp.channel.ReadyState;

/**
 * Issue 10, case 7: failure is loud and prompt. Before, a killed peer left the connection FAILED at about
 * 30 s but its channel open until SCTP gave up at 282 s, send() accepting thousands of messages in
 * between; a peer that closed cleanly left the connection {@code connected} until consent ran out; and
 * a connection whose checks were never answered stayed {@code checking} for good, holding its sockets.
 */
class PeerGoneTest {

    /** Events cross to the listener through the event loop: the slack a measured time is allowed. */
    private static final long DELIVERY_SLACK_MS = 250;

    @Test
    void aKilledPeerProcessIsDisconnectedWithin5sFailedWithin30sAndItsChannelThenClosesWithAnError() throws Exception {
        RtcConfiguration defaults = Peer.loopback().build();
        assertEquals(Duration.ofSeconds(5), defaults.disconnectedTimeout());
        assertEquals(Duration.ofSeconds(30), defaults.consentTimeout());
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             PeerProcess child = PeerProcess.start()) {
            Peer a = Signaling.create(factory, defaults);
            Recorder atA = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("echo", RTCDataChannelInit.defaults(), atA);
            child.negotiate(a);
            Recorder.await(atA.opened, "channel to the child process open");
            channel.send("are you there");
            assertEquals("are you there", atA.next());
            List<String> localPorts = a.candidates.stream().map(c -> c.candidate().split(" ")[5]).toList();

            child.kill();
            long killed = System.nanoTime();
            // The application keeps sending, as the one in the issue did, until send() refuses.
            AtomicLong sendRefusedAt = new AtomicLong();
            AtomicInteger acceptedAfterKill = new AtomicInteger();
            Thread sender = new Thread(() -> {
                while (true) {
                    try {
                        channel.send("still there?");
                        acceptedAfterKill.incrementAndGet();
                        Thread.sleep(20);
                    } catch (IllegalStateException refused) {
                        sendRefusedAt.set(System.nanoTime());
                        return;
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException bufferFull) {
                        // SendBufferFullException: the buffer filled while the peer was silent; keep trying
                    }
                }
            });
            sender.start();

            a.awaitState(PeerConnectionState.DISCONNECTED, Duration.ofSeconds(10));
            long disconnectedMs = (System.nanoTime() - killed) / 1_000_000;
            a.awaitState(PeerConnectionState.FAILED, Duration.ofSeconds(40));
            long failedMs = (System.nanoTime() - killed) / 1_000_000;
            Recorder.await(atA.closed, "the channel closed", Duration.ofSeconds(2));
            long closedMs = (System.nanoTime() - killed) / 1_000_000;
            sender.join(5_000);
            long refusedMs = (sendRefusedAt.get() - killed) / 1_000_000;
            System.out.printf("killed peer: disconnected %d ms, failed %d ms, channel closed %d ms, send refused %d ms,"
                    + " %d messages accepted in between%n", disconnectedMs, failedMs, closedMs, refusedMs,
                    acceptedAfterKill.get());

            assertTrue(disconnectedMs <= 5_000 + DELIVERY_SLACK_MS, "disconnected after " + disconnectedMs + " ms");
            assertTrue(failedMs <= 30_000 + DELIVERY_SLACK_MS, "failed after " + failedMs + " ms");
            assertTrue(closedMs <= 30_000 + 2 * DELIVERY_SLACK_MS, "channel closed after " + closedMs + " ms");
            assertTrue(sendRefusedAt.get() != 0 && refusedMs <= 30_000 + 2 * DELIVERY_SLACK_MS,
                    "send() refused after " + refusedMs + " ms");
            assertEquals(ReadyState.CLOSED, channel.readyState());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> channel.send("gone"));
            assertTrue(refused.getMessage().contains("CLOSED"), refused.getMessage());
            String error = atA.errors.poll(1, TimeUnit.SECONDS);
            assertTrue(error != null && error.contains("ICE failed"), "error event: " + error);
            assertEquals(IceConnectionState.FAILED, a.pc.iceConnectionState());
            assertSocketsReleased(localPorts);
        }
    }

    @Test
    void aPeerThatClosesIsNoticedWithinOneSecond() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Signaling.OpenChannel open = Signaling.openChannel(factory, "bye");
            Peer a = open.offerer();
            Peer b = open.answerer();
            Recorder atA = open.atOfferer();
            Recorder atB = open.atAnswerer();
            RTCDataChannel atBChannel = open.remote();
            List<String> portsOfB = b.candidates.stream().map(c -> c.candidate().split(" ")[5]).toList();

            long start = System.nanoTime();
            a.pc.close();
            b.awaitState(PeerConnectionState.CLOSED, Duration.ofSeconds(1));
            Recorder.await(atB.closed, "B's channel closed", Duration.ofSeconds(1));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs <= 1_000, "noticed after " + tookMs + " ms");
            assertEquals(List.of(), List.copyOf(atB.errors), "a clean close is not an error");
            assertEquals(List.of(), List.copyOf(atA.errors));
            assertThrows(IllegalStateException.class, () -> atBChannel.send("too late"));
            assertEquals(SignalingState.CLOSED, b.pc.signalingState());
            assertEquals(IceConnectionState.CLOSED, b.pc.iceConnectionState());
            assertEquals(0, factory.openConnections());
            b.pc.close();   // still allowed: returns once everything is released
            assertSocketsReleased(portsOfB);
            assertEquals(ReadyState.CLOSED, open.channel().readyState());
        }
    }

    @Test
    void aPeerThatClosesOnlyItsDtlsIsNoticedWithinOneSecond() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            a.pc.createDataChannel("dtls-bye", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            Recorder.await(atB.opened, "open at B");

            long start = System.nanoTime();
            a.pc.closeDtlsOnly();
            b.awaitState(PeerConnectionState.CLOSED, Duration.ofSeconds(1));
            Recorder.await(atB.closed, "B's channel closed", Duration.ofSeconds(1));
            assertTrue((System.nanoTime() - start) / 1_000_000 <= 1_000);
            assertEquals(List.of(), List.copyOf(atB.errors), "a clean close is not an error");
            assertEquals(1, factory.openConnections(), "B forgot itself: only A is still open");
        }
    }

    @Test
    void checksThatNeverGetAnAnswerFailWithinTheTimeoutCloseTheChannelAndReleaseTheSockets() throws Exception {
        assertEquals(Duration.ofSeconds(30), RtcConfiguration.defaults().iceConnectTimeout());
        Duration timeout = Duration.ofSeconds(3);
        RtcConfiguration config = Peer.loopback().iceConnectTimeout(timeout).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             DatagramSocket firewall = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Peer a = Signaling.create(factory, config);
            Peer b = Signaling.create(factory, config);
            Recorder atA = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("never", RTCDataChannelInit.defaults(), atA);
            // No trickle: A only learns one candidate of B's, and everything sent to it is dropped.
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "A's gathering");
            List<String> localPorts = a.candidates.stream().map(c -> c.candidate().split(" ")[5]).toList();
            long start = System.nanoTime();
            a.pc.setRemoteDescription(answer).get(10, TimeUnit.SECONDS);
            a.pc.addIceCandidate(new RTCIceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 "
                    + firewall.getLocalPort() + " typ host", null, null)).get(10, TimeUnit.SECONDS);

            a.awaitState(PeerConnectionState.FAILED, timeout.plusSeconds(5));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs <= timeout.toMillis() + DELIVERY_SLACK_MS, "failed after " + tookMs + " ms");
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.FAILED), List.copyOf(a.iceStates));
            Recorder.await(atA.closed, "the channel closed", Duration.ofSeconds(1));
            assertEquals(1, atA.errors.size(), atA.errors.toString());
            assertThrows(IllegalStateException.class, () -> channel.send("nobody"));
            assertSocketsReleased(localPorts);
        }
    }

    /** The connection's UDP ports can be bound again: its sockets are closed (bounded wait: released off-thread). */
    static void assertSocketsReleased(List<String> ports) throws InterruptedException {
        assertTrue(!ports.isEmpty());
        for (String port : ports) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (true) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(port)))) {
                    break;
                } catch (java.net.SocketException inUse) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("UDP port " + port + " is still held by the connection");
                    }
                    Thread.sleep(20);
                }
            }
        }
    }
}
