package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.dtls.DtlsRole;
import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.SessionDescription;

/**
 * JSEP renegotiation (RFC 8829 §5.2.2, §5.3.2) on a connected connection: later offers from either
 * side, a media section answered with port 0, rollback, glare with implicit rollback on the polite
 * side, and {@code negotiationneeded}. The data channel keeps working through all of it.
 */
class RenegotiationTest {

    private static final long T = 10;

    /**
     * W3C's negotiation-needed task checks again when it runs. A callee that creates a channel in
     * {@code stable} before the caller's offer arrives queues the event; if the offer and its answer
     * negotiate the channel before the event's turn, no event fires. (Seen as a room sending a needless
     * renegotiation offer right after answering, when the machine was loaded.) The callee's event loop is
     * held on a signaling-state event so that the order is the slow machine's every time.
     */
    @Test
    void aNegotiationNeededEventWhoseNeedTheAnswerMetDoesNotFire() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger fired = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.BlockingQueue<SignalingState> seen = new java.util.concurrent.LinkedBlockingQueue<>();
            PeerConnectionListener held = new PeerConnectionListener() {
                @Override
                public void onSignalingStateChange(SignalingState state) {
                    seen.add(state);
                    if (state == SignalingState.HAVE_LOCAL_OFFER) {
                        try {
                            release.await(T, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public void onNegotiationNeeded() {
                    fired.incrementAndGet();
                }
            };
            RTCPeerConnection callee = factory.createPeerConnection(Peer.loopback().build(), held);
            Peer caller = Signaling.create(factory, Peer.loopback().build());
            // Hold the callee's loop: a local offer (its event blocks), rolled back.
            callee.setLocalDescription(callee.createOffer().get(T, TimeUnit.SECONDS)).get(T, TimeUnit.SECONDS);
            callee.setLocalDescription(RTCSessionDescription.rollback()).get(T, TimeUnit.SECONDS);
            // In stable, nothing negotiated yet: the channel needs negotiating, the event is queued.
            callee.createDataChannel("early", RTCDataChannelInit.defaults());
            // The caller's offer and the callee's answer negotiate it before the event's turn.
            caller.pc.createDataChannel("chat", RTCDataChannelInit.defaults());
            RTCSessionDescription offer = caller.pc.createOffer().get(T, TimeUnit.SECONDS);
            caller.pc.setLocalDescription(offer).get(T, TimeUnit.SECONDS);
            callee.setRemoteDescription(offer).get(T, TimeUnit.SECONDS);
            callee.setLocalDescription(callee.createAnswer().get(T, TimeUnit.SECONDS)).get(T, TimeUnit.SECONDS);
            release.countDown();
            java.util.List<SignalingState> order = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                order.add(seen.poll(T, TimeUnit.SECONDS));
            }
            // The last event was queued after the negotiation-needed task, so that task has run.
            assertEquals(java.util.List.of(SignalingState.HAVE_LOCAL_OFFER, SignalingState.STABLE,
                    SignalingState.HAVE_REMOTE_OFFER, SignalingState.STABLE), order);
            assertEquals(0, fired.get(), "the answer negotiated the channel: no event");
            callee.close();
            caller.pc.close();
        }
    }

    /** W3C §4.4.1.6: current and pending descriptions on both sides of a renegotiation, and after close. */
    @Test
    void currentAndPendingDescriptionsThroughARenegotiationAndAfterClose() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair.open(a, b);
            String aFirst = ufrag(a.pc.currentLocalDescription());
            String bFirst = ufrag(b.pc.currentLocalDescription());
            assertEquals(a.pc.remoteDescription(), a.pc.currentRemoteDescription());
            assertEquals(null, a.pc.pendingLocalDescription());
            assertEquals(null, a.pc.pendingRemoteDescription());

            RTCSessionDescription offer = a.pc.createOffer(true).get(T, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(T, TimeUnit.SECONDS);
            assertEquals(ufrag(offer), ufrag(a.pc.pendingLocalDescription()));
            assertNotEquals(aFirst, ufrag(offer), "a restart offer");
            assertEquals(aFirst, ufrag(a.pc.currentLocalDescription()), "the negotiated one stays current");
            assertEquals(null, a.pc.pendingRemoteDescription());
            b.pc.setRemoteDescription(offer).get(T, TimeUnit.SECONDS);
            assertEquals(offer, b.pc.pendingRemoteDescription());
            assertEquals(null, b.pc.pendingLocalDescription(), "b's offer is not under way: a's is");
            assertEquals(bFirst, ufrag(b.pc.currentLocalDescription()));
            assertNotEquals(offer, b.pc.currentRemoteDescription());

            RTCSessionDescription answer = b.pc.createAnswer().get(T, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(T, TimeUnit.SECONDS);
            a.pc.setRemoteDescription(answer).get(T, TimeUnit.SECONDS);
            assertEquals(null, a.pc.pendingLocalDescription());
            assertEquals(null, b.pc.pendingRemoteDescription());
            assertEquals(answer, a.pc.currentRemoteDescription());
            assertEquals(offer, b.pc.currentRemoteDescription());
            assertEquals(ufrag(offer), ufrag(a.pc.currentLocalDescription()), "the restart offer is current now");

            a.pc.close();
            assertEquals(SignalingState.CLOSED, a.pc.signalingState());
            assertEquals(ufrag(offer), ufrag(a.pc.currentLocalDescription()), "kept after close, as browsers keep it");
            assertEquals(null, a.pc.pendingLocalDescription());
            b.pc.close();
        }
    }

    @Test
    void laterOffersFromEitherSideKeepTheChannelAndTheDtlsRoles() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(a, b);

            Signaling.negotiate(b, a); // the first answerer offers now
            assertEquals(SignalingState.STABLE, a.pc.signalingState());
            assertEquals(SignalingState.STABLE, b.pc.signalingState());
            assertEquals("0", mid(b.pc.localDescription()));
            Signaling.negotiate(a, b);
            assertEquals(DtlsRole.SERVER, a.pc.dtlsRole());
            assertEquals(DtlsRole.CLIENT, b.pc.dtlsRole());
            p.roundTrip("after two renegotiations");
            assertEquals(PeerConnectionState.CONNECTED, a.pc.connectionState());
            assertEquals(PeerConnectionState.CONNECTED, b.pc.connectionState());
            a.pc.close();
            b.pc.close();
        }
    }

    @Test
    void aMediaSectionInALaterOfferIsAnsweredWithPortZeroWhileDataContinues() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(a, b);

            String offered = a.pc.createOffer().get(T, TimeUnit.SECONDS).sdp()
                    .replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1")
                    + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\n"
                    + "a=rtpmap:111 opus/48000/2\r\n";
            RTCSessionDescription offer = new RTCSessionDescription(RTCSessionDescription.Type.OFFER, offered);
            a.pc.setLocalDescription(offer).get(T, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(T, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(T, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(T, TimeUnit.SECONDS);
            a.pc.setRemoteDescription(answer).get(T, TimeUnit.SECONDS);

            assertTrue(answer.sdp().contains("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n"), answer.sdp());
            assertTrue(answer.sdp().contains("a=group:BUNDLE 0\r\n"), answer.sdp());
            assertEquals(SignalingState.STABLE, a.pc.signalingState());
            p.roundTrip("after the audio section was rejected");
            a.pc.close();
            b.pc.close();
        }
    }

    @Test
    void rollbackOfALocalOrRemoteOfferReturnsToStableWithTheDescriptionsInForce() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(a, b);
            RTCSessionDescription aRemote = a.pc.remoteDescription();
            RTCSessionDescription bRemote = b.pc.remoteDescription();

            RTCSessionDescription offer = a.pc.createOffer().get(T, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(T, TimeUnit.SECONDS);
            assertEquals(SignalingState.HAVE_LOCAL_OFFER, a.pc.signalingState());
            a.pc.setLocalDescription(RTCSessionDescription.rollback()).get(T, TimeUnit.SECONDS);
            assertEquals(SignalingState.STABLE, a.pc.signalingState());
            assertEquals(aRemote, a.pc.remoteDescription());

            b.pc.setRemoteDescription(offer).get(T, TimeUnit.SECONDS);
            assertEquals(SignalingState.HAVE_REMOTE_OFFER, b.pc.signalingState());
            b.pc.setRemoteDescription(RTCSessionDescription.rollback()).get(T, TimeUnit.SECONDS);
            assertEquals(SignalingState.STABLE, b.pc.signalingState());
            assertEquals(bRemote, b.pc.remoteDescription());

            Signaling.negotiate(a, b); // and a whole exchange still works after both rollbacks
            p.roundTrip("after the rollbacks");
            a.pc.close();
            b.pc.close();
        }
    }

    @Test
    void aLaterOfferWithAnotherCertificateIsRefusedAndChangesNothing() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(a, b);
            RTCSessionDescription remoteBefore = b.pc.remoteDescription();

            String offer = a.pc.createOffer().get(T, TimeUnit.SECONDS).sdp();
            String ours = fingerprintLine(offer);
            String other = fingerprintLine(offerWithCertificate(dev.purertc.dtls.DtlsCertificate.generate()));
            RTCSessionDescription changed = new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                    offer.replace(ours, other));
            java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> b.pc.setRemoteDescription(changed).get(T, TimeUnit.SECONDS));
            assertEquals("fingerprint", ((dev.purertc.sdp.SdpValidationException) refused.getCause()).attribute());
            assertEquals(SignalingState.STABLE, b.pc.signalingState());
            assertEquals(remoteBefore, b.pc.remoteDescription());
            p.roundTrip("after the refused offer");
            a.pc.close();
            b.pc.close();
        }
    }

    private static String fingerprintLine(String sdp) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=fingerprint:")) {
                return line;
            }
        }
        throw new AssertionError("no a=fingerprint in " + sdp);
    }

    /** An offer text carrying {@code certificate}'s fingerprint. */
    private static String offerWithCertificate(dev.purertc.dtls.DtlsCertificate certificate) {
        var fp = certificate.fingerprint();
        return dev.purertc.sdp.DataChannelNegotiation.createOffer(dev.purertc.sdp.DataChannelParameters
                .builder("abcd", "a".repeat(22), new dev.purertc.sdp.Fingerprint(fp.algorithm(), fp.hexValue()))
                .build()).toSdp();
    }

    /** Perfect negotiation: both offer at once; the impolite side ignores the polite one's offer, the polite side rolls back. */
    @Test
    void glareThePoliteSideRollsBackImplicitlyAndTheSessionContinues() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer impolite = Signaling.create(factory, Peer.loopback().build());
            Peer polite = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(impolite, polite);

            RTCSessionDescription fromImpolite = impolite.pc.createOffer().get(T, TimeUnit.SECONDS);
            RTCSessionDescription fromPolite = polite.pc.createOffer().get(T, TimeUnit.SECONDS);
            impolite.pc.setLocalDescription(fromImpolite).get(T, TimeUnit.SECONDS);
            polite.pc.setLocalDescription(fromPolite).get(T, TimeUnit.SECONDS);
            // The impolite side ignores the colliding offer; the polite side applies the other one.
            assertEquals(SignalingState.HAVE_LOCAL_OFFER, impolite.pc.signalingState());
            polite.pc.setRemoteDescription(fromImpolite).get(T, TimeUnit.SECONDS);
            assertEquals(SignalingState.HAVE_REMOTE_OFFER, polite.pc.signalingState());
            RTCSessionDescription answer = polite.pc.createAnswer().get(T, TimeUnit.SECONDS);
            polite.pc.setLocalDescription(answer).get(T, TimeUnit.SECONDS);
            impolite.pc.setRemoteDescription(answer).get(T, TimeUnit.SECONDS);

            assertEquals(SignalingState.STABLE, impolite.pc.signalingState());
            assertEquals(SignalingState.STABLE, polite.pc.signalingState());
            p.roundTrip("after glare"); // the loop has delivered every state change queued before
            assertEquals(java.util.List.of(SignalingState.HAVE_REMOTE_OFFER, SignalingState.STABLE,
                    SignalingState.HAVE_LOCAL_OFFER, SignalingState.STABLE, SignalingState.HAVE_REMOTE_OFFER,
                    SignalingState.STABLE), polite.signalingStates, "the implicit rollback passes through stable");
            p.roundTrip("after glare");
            impolite.pc.close();
            polite.pc.close();
        }
    }

    @Test
    void restartIceFiresNegotiationNeededOnceAndTheNextOfferCarriesNewCredentials() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Pair p = Pair.open(a, b);
            // The first channel's event fired, or (its task running after the offer was applied, as W3C's
            // check-again allows) did not: restartIce adds exactly one either way. The task was queued before
            // the signaling-state events, so once the last of them (stable) is seen it has run.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            while (!a.signalingStates.contains(SignalingState.STABLE) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int first = a.negotiationNeeded.get();
            assertTrue(first == 0 || first == 1, "first data channel: " + first);
            String before = ufrag(a.pc.localDescription());

            a.pc.restartIce();
            a.pc.restartIce();
            awaitCount(a, first + 1);
            RTCSessionDescription offer = a.pc.createOffer().get(T, TimeUnit.SECONDS);
            assertNotEquals(before, ufrag(offer));
            assertEquals(ufrag(offer), ufrag(a.pc.createOffer().get(T, TimeUnit.SECONDS)),
                    "an offer created again before it is applied offers the same new credentials");
            Signaling.negotiate(a, b);
            assertEquals(first + 1, a.negotiationNeeded.get());
            assertNotEquals(before, ufrag(a.pc.localDescription()));
            p.roundTrip("after the restart");
            a.pc.close();
            b.pc.close();
        }
    }

    private static void awaitCount(Peer peer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
        while (peer.negotiationNeeded.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // a second event would arrive now
        assertEquals(count, peer.negotiationNeeded.get());
    }

    static String ufrag(RTCSessionDescription d) throws Exception {
        return DataChannelDescription.of(SessionDescription.parse(d.sdp())).ice().ufrag();
    }

    private static String mid(RTCSessionDescription d) throws Exception {
        return DataChannelDescription.of(SessionDescription.parse(d.sdp())).mid().orElseThrow();
    }

    /** Two connected peers with one open channel, recorded on both sides. */
    record Pair(RTCDataChannel atA, Recorder recA, RTCDataChannel atB, Recorder recB) {
        static Pair open(Peer a, Peer b) throws Exception {
            Recorder recB = new Recorder();
            b.remoteChannelListener = recB;
            Recorder recA = new Recorder();
            RTCDataChannel atA = a.pc.createDataChannel("c", RTCDataChannelInit.defaults(), recA);
            Signaling.negotiate(a, b);
            Recorder.await(recA.opened, "open at a");
            RTCDataChannel atB = b.awaitRemoteChannel();
            Recorder.await(recB.opened, "open at b");
            return new Pair(atA, recA, atB, recB);
        }

        void roundTrip(String when) throws InterruptedException {
            atA.send("ping " + when);
            assertEquals("ping " + when, recB.next());
            byte[] back = {1, 2, 3};
            atB.send(back);
            assertArrayEquals(back, (byte[]) recA.next());
        }
    }
}
