package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.dtls.CryptoBackend;
import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsConnectionInfo;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.sctp.channel.ReadyState;

class PeerConnectionFailureTest {

    @Test
    void fingerprintMismatchFailsTheConnectionAndDeliversNothing() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            a.remoteChannelListener = atA;
            b.remoteChannelListener = atB;
            RTCDataChannel fromA = a.pc.createDataChannel("secret");
            fromA.setListener(atA);
            a.trickleTo = c -> b.pc.addIceCandidate(c).join();
            b.trickleTo = c -> a.pc.addIceCandidate(c).join();

            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            // A man in the middle swaps the fingerprint: A now expects a certificate B does not have.
            String real = b.pc.certificate().fingerprint().hexValue();
            String forged = DtlsCertificate.generate().fingerprint().hexValue();
            assertTrue(answer.sdp().contains(real));
            a.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    answer.sdp().replace(real, forged))).get(10, TimeUnit.SECONDS);

            a.awaitState(PeerConnectionState.FAILED);
            b.awaitState(PeerConnectionState.FAILED);
            assertFalse(a.states.contains(PeerConnectionState.CONNECTED), a.states.toString());
            assertFalse(b.states.contains(PeerConnectionState.CONNECTED), b.states.toString());
            assertTrue(a.iceStates.contains(IceConnectionState.CONNECTED), "ICE itself worked: " + a.iceStates);
            Recorder.await(atA.closed, "the channel closed with the failed connection");
            assertEquals(ReadyState.CLOSED, fromA.readyState());
            assertEquals(1, atA.opened.getCount(), "the channel never opened");
            assertTrue(a.pc.dtlsConnectionInfo().isEmpty());
            assertEquals(List.of(), List.copyOf(b.remoteChannels));
            assertEquals(List.of(), List.copyOf(atA.messages));
            assertEquals(List.of(), List.copyOf(atB.messages));
        }
    }

    @Test
    void aPeerThatVanishesIsDetectedByConsentFreshness() throws Exception {
        RtcConfiguration fast = Peer.loopback()
                .consentFreshness(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(800))
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, fast);
            Peer b = Signaling.create(factory, fast);
            Recorder atA = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("heartbeat");
            channel.setListener(atA);
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "channel open");
            a.awaitState(PeerConnectionState.CONNECTED);

            b.pc.dropNetworkSilently();

            a.awaitState(PeerConnectionState.DISCONNECTED, Duration.ofSeconds(10));
            a.awaitState(PeerConnectionState.FAILED, Duration.ofSeconds(10));
            assertTrue(a.states.indexOf(PeerConnectionState.DISCONNECTED) < a.states.indexOf(PeerConnectionState.FAILED),
                    a.states.toString());
            assertEquals(IceConnectionState.FAILED, a.pc.iceConnectionState());
            assertEquals(PeerConnectionState.FAILED, a.pc.connectionState());
        }
    }

    @Test
    void candidatesThatArriveBeforeTheRemoteDescriptionAreKept() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("early");
            channel.setListener(atA);

            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "A's gathering");
            assertFalse(a.candidates.isEmpty());
            for (RTCIceCandidate c : a.candidates) {
                b.pc.addIceCandidate(c).get(10, TimeUnit.SECONDS); // before B has any remote description
            }
            b.pc.addIceCandidate(null).get(10, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            Recorder.await(b.gatheringComplete, "B's gathering");
            for (RTCIceCandidate c : b.candidates) {
                a.pc.addIceCandidate(c).get(10, TimeUnit.SECONDS); // before A has the answer
            }
            a.pc.addIceCandidate(new RTCIceCandidate("", "0", 0)).get(10, TimeUnit.SECONDS);
            a.pc.setRemoteDescription(answer).get(10, TimeUnit.SECONDS);

            a.awaitState(PeerConnectionState.CONNECTED);
            Recorder.await(atA.opened, "channel open");
            channel.send("kept");
            assertEquals("kept", atB.next());
        }
    }

    @Test
    void bothCryptoBackEndsWorkEndToEnd() throws Exception {
        for (CryptoBackend backend : CryptoBackend.values()) {
            try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
                RtcConfiguration config = Peer.loopback().cryptoBackend(backend).build();
                Peer a = Signaling.create(factory, config);
                Peer b = Signaling.create(factory, config);
                Recorder atA = new Recorder();
                Recorder atB = new Recorder();
                b.remoteChannelListener = atB;
                RTCDataChannel channel = a.pc.createDataChannel("crypto-" + backend);
                channel.setListener(atA);
                Signaling.negotiate(a, b);
                Recorder.await(atA.opened, backend + " channel open");
                byte[] payload = new byte[200_000];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (i * 31);
                }
                channel.send(payload);
                channel.send(backend.name());
                org.junit.jupiter.api.Assertions.assertArrayEquals(payload, (byte[]) atB.next());
                assertEquals(backend.name(), atB.next());
                DtlsConnectionInfo info = a.pc.dtlsConnectionInfo().orElseThrow();
                assertEquals(backend, info.backend());
                assertEquals("DTLS 1.2", info.protocolName());
                assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", info.cipherSuiteName());
                assertEquals(b.pc.certificate().fingerprint().hexValue(), info.remoteFingerprint().hexValue());
            }
        }
    }
}
