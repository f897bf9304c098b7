package dev.purertc.channel;

import java.util.concurrent.TimeUnit;

/** Test helper: offer/answer between two peers in one JVM with trickle ICE wired both ways. */
final class Signaling {

    private Signaling() {
    }

    static Peer create(PeerConnectionFactory factory, RtcConfiguration config) {
        Peer p = new Peer();
        p.pc = factory.createPeerConnection(config, p);
        return p;
    }

    /** Wires trickle both ways, then runs offer (from {@code offerer}) and answer. */
    static void negotiate(Peer offerer, Peer answerer) throws Exception {
        offerer.trickleTo = c -> answerer.pc.addIceCandidate(c).join();
        answerer.trickleTo = c -> offerer.pc.addIceCandidate(c).join();
        RTCSessionDescription offer = offerer.pc.createOffer().get(10, TimeUnit.SECONDS);
        offerer.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
        answerer.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
        RTCSessionDescription answer = answerer.pc.createAnswer().get(10, TimeUnit.SECONDS);
        answerer.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
        offerer.pc.setRemoteDescription(answer).get(10, TimeUnit.SECONDS);
    }
}
