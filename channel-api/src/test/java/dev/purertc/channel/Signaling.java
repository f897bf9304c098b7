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

    /** Two loopback peers with one channel open at both ends, and the recorders of both ends. */
    record OpenChannel(Peer offerer, Peer answerer, RTCDataChannel channel, RTCDataChannel remote,
                       Recorder atOfferer, Recorder atAnswerer) {
    }

    /** Creates two loopback peers of {@code factory}, opens a default channel {@code label} and negotiates. */
    static OpenChannel openChannel(PeerConnectionFactory factory, String label) throws Exception {
        Peer a = create(factory, Peer.loopback().build());
        Peer b = create(factory, Peer.loopback().build());
        Recorder atA = new Recorder();
        Recorder atB = new Recorder();
        b.remoteChannelListener = atB;
        RTCDataChannel channel = a.pc.createDataChannel(label, RTCDataChannelInit.defaults(), atA);
        negotiate(a, b);
        Recorder.await(atA.opened, "channel open at the offerer");
        RTCDataChannel remote = b.awaitRemoteChannel();
        Recorder.await(atB.opened, "channel open at the answerer");
        return new OpenChannel(a, b, channel, remote, atA, atB);
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
