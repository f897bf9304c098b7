package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.IceConnectionState;

/**
 * Two connected peers over 127.0.0.1 for the e2e benchmarks, through the public API only: the offerer
 * opens one channel, the answerer's copy of it gets {@code answererListener}.
 */
final class BenchPair implements AutoCloseable {

    static RtcConfiguration.Builder loopback() {
        return RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly());
    }

    final RTCPeerConnection offerer;
    final RTCPeerConnection answerer;
    final RTCDataChannel channel;
    volatile RTCDataChannel remoteChannel;
    private final CountDownLatch bothOpen = new CountDownLatch(2);
    /** {@link System#nanoTime()} of each step, per side (0 offerer, 1 answerer); 0 until it happened. */
    final SetupSteps steps = new SetupSteps();

    /**
     * Creates both connections, runs offer/answer with trickle ICE and returns once both ends of the
     * channel are open.
     */
    BenchPair(PeerConnectionFactory factory, RtcConfiguration config, RTCDataChannelListener offererListener,
              RTCDataChannelListener answererListener) throws Exception {
        RTCPeerConnection[] peers = new RTCPeerConnection[2];
        offerer = factory.createPeerConnection(config, new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                peers[1].addIceCandidate(candidate);
            }

            @Override
            public void onIceConnectionStateChange(IceConnectionState state) {
                steps.ice(0, state);
            }

            @Override
            public void onConnectionStateChange(PeerConnectionState state) {
                steps.connection(0, state);
            }
        });
        answerer = factory.createPeerConnection(config, new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                offerer.addIceCandidate(candidate);
            }

            @Override
            public void onIceConnectionStateChange(IceConnectionState state) {
                steps.ice(1, state);
            }

            @Override
            public void onConnectionStateChange(PeerConnectionState state) {
                steps.connection(1, state);
            }

            @Override
            public void onDataChannel(RTCDataChannel c) {
                remoteChannel = c;
                c.setListener(new Forwarding(answererListener));
            }
        });
        peers[1] = answerer;
        channel = offerer.createDataChannel("bench");
        channel.setListener(new Forwarding(offererListener));
    }

    /** Runs the signaling; returns when both ends of the channel are open. */
    void connect(Duration bound) throws Exception {
        long[] calls = steps.signalingCalls;
        steps.start = System.nanoTime();
        RTCSessionDescription offer = offerer.createOffer().get();
        calls[0] = System.nanoTime();
        offerer.setLocalDescription(offer).get();
        calls[1] = System.nanoTime();
        answerer.setRemoteDescription(offer).get();
        calls[2] = System.nanoTime();
        RTCSessionDescription answer = answerer.createAnswer().get();
        calls[3] = System.nanoTime();
        answerer.setLocalDescription(answer).get();
        calls[4] = System.nanoTime();
        offerer.setRemoteDescription(answer).get();
        calls[5] = System.nanoTime();
        steps.signaled = calls[5];
        if (!bothOpen.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("channel not open on both sides within " + bound + ": "
                    + offerer.connectionState() + " / " + answerer.connectionState());
        }
    }

    @Override
    public void close() {
        offerer.close();
        answerer.close();
    }

    /** Counts the open events, then forwards everything. */
    private final class Forwarding implements RTCDataChannelListener {
        private final RTCDataChannelListener to;

        Forwarding(RTCDataChannelListener to) {
            this.to = to == null ? new RTCDataChannelListener() {
            } : to;
        }

        @Override
        public void onOpen(RTCDataChannel c) {
            steps.open[c == channel ? 0 : 1] = System.nanoTime();
            bothOpen.countDown();
            to.onOpen(c);
        }

        @Override
        public void onMessage(RTCDataChannel c, String text) {
            to.onMessage(c, text);
        }

        @Override
        public void onMessage(RTCDataChannel c, byte[] data) {
            to.onMessage(c, data);
        }

        @Override
        public void onBufferedAmountLow(RTCDataChannel c) {
            to.onBufferedAmountLow(c);
        }
    }
}
