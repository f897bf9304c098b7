package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.sctp.channel.MessageTooLargeException;
import dev.purertc.sctp.channel.ReadyState;

class PeerConnectionApiTest {

    @Test
    void remoteMaxMessageSizeAndSctpPortAreHonoured() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().sctpPort(5001).build());
            Peer b = Signaling.create(factory, Peer.loopback().sctpPort(5002).maxMessageSize(1000).build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("limits");
            channel.setListener(atA);
            Signaling.negotiate(a, b);
            assertTrue(a.pc.localDescription().sdp().contains("a=sctp-port:5001\r\n"));
            assertTrue(b.pc.localDescription().sdp().contains("a=sctp-port:5002\r\n"));
            assertTrue(b.pc.localDescription().sdp().contains("a=max-message-size:1000\r\n"));
            Recorder.await(atA.opened, "open across different SCTP ports");

            assertEquals(1000, channel.maxMessageSize(), "min(local 262144, remote 1000)");
            assertThrows(MessageTooLargeException.class, () -> channel.send(new byte[1001]));
            assertThrows(MessageTooLargeException.class, () -> channel.send("x".repeat(1001)));
            channel.send(new byte[1000]);
            assertArrayEquals(new byte[1000], (byte[]) atB.next());
            RTCDataChannel remote = b.awaitRemoteChannel();
            assertEquals(1000, remote.maxMessageSize(), "min(local 1000, remote 262144)");
        }
    }

    @Test
    void negotiatedChannelsAndReliabilityOptionsReachThePeer() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder aNeg = new Recorder();
            Recorder bNeg = new Recorder();
            Recorder aLossy = new Recorder();
            RTCDataChannelInit negotiated = RTCDataChannelInit.defaults().withNegotiated(7);
            RTCDataChannel negAtA = a.pc.createDataChannel("agreed", negotiated);
            RTCDataChannel negAtB = b.pc.createDataChannel("agreed", negotiated);
            negAtA.setListener(aNeg);
            negAtB.setListener(bNeg);
            RTCDataChannel lossy = a.pc.createDataChannel("lossy",
                    RTCDataChannelInit.defaults().withOrdered(false).withMaxRetransmits(0).withProtocol("game"));
            lossy.setListener(aLossy);
            RTCDataChannel timed = a.pc.createDataChannel("timed",
                    RTCDataChannelInit.defaults().withMaxPacketLifeTime(150));
            assertEquals(7, negAtA.id());
            assertNull(lossy.id(), "no id before the DTLS role is known");
            Signaling.negotiate(a, b);

            Recorder.await(aNeg.opened, "negotiated open at A");
            Recorder.await(bNeg.opened, "negotiated open at B");
            negAtA.send("over the agreed stream");
            assertEquals("over the agreed stream", bNeg.next());
            negAtB.send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, (byte[]) aNeg.next());

            Recorder.await(aLossy.opened, "lossy open");
            RTCDataChannel first = b.awaitRemoteChannel();
            RTCDataChannel second = b.awaitRemoteChannel();
            RTCDataChannel lossyAtB = first.label().equals("lossy") ? first : second;
            RTCDataChannel timedAtB = first.label().equals("timed") ? first : second;
            assertEquals("lossy", lossyAtB.label());
            assertFalse(lossyAtB.ordered());
            assertEquals(0, lossyAtB.maxRetransmits());
            assertNull(lossyAtB.maxPacketLifeTime());
            assertEquals("game", lossyAtB.protocol());
            assertFalse(lossyAtB.negotiated());
            assertEquals(lossy.id(), lossyAtB.id());
            assertEquals("timed", timedAtB.label());
            assertTrue(timedAtB.ordered());
            assertEquals(150, timedAtB.maxPacketLifeTime());
            assertNull(timedAtB.maxRetransmits());
            assertEquals(timed.id(), timedAtB.id());
        }
    }

    @Test
    void signalingRulesAreEnforced() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            CompletionException noOffer = assertThrows(CompletionException.class, () -> a.pc.createAnswer().join());
            assertInstanceOf(IllegalStateException.class, noOffer.getCause());

            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            assertTrue(offer.sdp().contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"), offer.sdp());
            assertTrue(offer.sdp().contains("a=setup:actpass\r\n"));
            assertTrue(offer.sdp().contains("a=fingerprint:sha-256 " + a.pc.certificate().fingerprint().hexValue()));
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            assertEquals(SignalingState.HAVE_LOCAL_OFFER, a.pc.signalingState());
            // An offer from elsewhere cannot be applied as our own local description.
            RTCSessionDescription foreign = b.pc.createOffer().get(10, TimeUnit.SECONDS);
            CompletionException notOurs = assertThrows(CompletionException.class,
                    () -> a.pc.setLocalDescription(foreign).join());
            assertInstanceOf(IllegalArgumentException.class, notOurs.getCause());

            Peer c = Signaling.create(factory, Peer.loopback().build());
            c.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            CompletionException wrongMid = assertThrows(CompletionException.class,
                    () -> c.pc.addIceCandidate(new RTCIceCandidate(
                            "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", "audio", 0)).join());
            assertInstanceOf(IllegalArgumentException.class, wrongMid.getCause());
            RTCSessionDescription answer = c.pc.createAnswer().get(10, TimeUnit.SECONDS);
            assertTrue(answer.sdp().contains("a=setup:active\r\n"), answer.sdp());
            c.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            assertEquals(SignalingState.STABLE, c.pc.signalingState());
            // RFC 4145 §4.1: an answer without a=setup means passive, so the offerer is the DTLS client.
            a.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    answer.sdp().replace("a=setup:active\r\n", ""))).get(10, TimeUnit.SECONDS);
            assertEquals(dev.purertc.dtls.DtlsRole.CLIENT, a.pc.dtlsRole());

            c.pc.close();
            CompletionException closed = assertThrows(CompletionException.class, () -> c.pc.createOffer().join());
            assertInstanceOf(IllegalStateException.class, closed.getCause());
            assertThrows(IllegalStateException.class, () -> c.pc.createDataChannel("late"));
            assertEquals(PeerConnectionState.CLOSED, c.pc.connectionState());
        }
    }

    @Test
    void candidatesComeFromTheConfiguredPortRangeAndOnlyAfterSetLocalDescription() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().portRange(47100, 47199).iceCandidatePoolSize(1).build());
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), List.copyOf(a.candidates), "no candidate event before setLocalDescription");
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "gathering complete");
            assertEquals(1, a.candidates.size(), a.candidates.toString());
            RTCIceCandidate c = a.candidates.get(0);
            String[] f = c.candidate().split(" ");
            assertEquals("127.0.0.1", f[4]);
            int port = Integer.parseInt(f[5]);
            assertTrue(port >= 47100 && port <= 47199, "port " + port);
            assertEquals("host", f[7]);
            assertEquals("0", c.sdpMid());
            assertEquals(0, c.sdpMLineIndex());
        }
    }

    @Test
    void turnOverDtlsIsRefusedWithAReasonAndRelayPolicyNeedsATurnServer() throws Exception {
        RtcConfiguration withTurn = Peer.loopback()
                .iceServer(dev.purertc.ice.IceServer.turn("user", "secret", "turns:127.0.0.1:5349?transport=udp"))
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            UnsupportedOperationException unsupported = assertThrows(UnsupportedOperationException.class,
                    () -> Signaling.create(factory, withTurn));
            assertTrue(unsupported.getMessage().contains("turns:"), unsupported.getMessage());
            assertEquals(0, factory.openConnections());
        }
        assertThrows(IllegalArgumentException.class, () -> Peer.loopback()
                .iceTransportPolicy(dev.purertc.ice.IceTransportPolicy.RELAY).build());
    }

    @Test
    void connectsOverIpv6Loopback() throws Exception {
        RtcConfiguration v6 = RtcConfiguration.builder()
                .hostAddresses(dev.purertc.ice.HostAddressFilter.exactly(
                        java.util.Set.of(java.net.InetAddress.getByName("::1"))))
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, v6);
            Peer b = Signaling.create(factory, v6);
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("v6", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "open over ::1");
            channel.send("over ::1");
            assertEquals("over ::1", atB.next());
            for (RTCIceCandidate c : a.candidates) {
                assertEquals(java.net.InetAddress.getByName("::1"),
                        java.net.InetAddress.getByName(c.candidate().split(" ")[4]), c.candidate());
            }
            assertEquals(1, a.candidates.size(), a.candidates.toString());
        }
    }

    @Test
    void aChannelCreatedBeforeConnectingClosesWithTheConnection() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Recorder rec = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("never");
            channel.setListener(rec);
            assertEquals(ReadyState.CONNECTING, channel.readyState());
            assertThrows(IllegalStateException.class, () -> channel.send("too early"));
            a.pc.close();
            Recorder.await(rec.closed, "close event");
            assertEquals(ReadyState.CLOSED, channel.readyState());
            assertEquals(1, rec.opened.getCount());
        }
    }
}
