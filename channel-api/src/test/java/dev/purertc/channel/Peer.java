package dev.purertc.channel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.IceConnectionState;

/** Test helper: one peer connection and everything its listener reported, with bounded waits. */
final class Peer implements PeerConnectionListener {

    static final Duration WAIT = Duration.ofSeconds(30);

    final List<PeerConnectionState> states = new CopyOnWriteArrayList<>();
    final List<IceConnectionState> iceStates = new CopyOnWriteArrayList<>();
    final List<SignalingState> signalingStates = new CopyOnWriteArrayList<>();
    final List<RTCIceCandidate> candidates = new CopyOnWriteArrayList<>();
    final BlockingQueue<RTCDataChannel> remoteChannels = new LinkedBlockingQueue<>();
    final CountDownLatch gatheringComplete = new CountDownLatch(1);
    /** Gathering as the listener saw it, in order: "state:GATHERING", "candidate", "state:COMPLETE", "end". */
    final List<String> gatheringEvents = new CopyOnWriteArrayList<>();
    /** How many times onNegotiationNeeded fired. */
    final java.util.concurrent.atomic.AtomicInteger negotiationNeeded = new java.util.concurrent.atomic.AtomicInteger();
    private final Object stateMonitor = new Object();
    /** Where trickled candidates go (the other peer), or null to only record them. */
    volatile Consumer<RTCIceCandidate> trickleTo;
    /** Listener set on remote channels before onOpen. */
    volatile RTCDataChannelListener remoteChannelListener;
    RTCPeerConnection pc;

    static RtcConfiguration.Builder loopback() {
        return RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly());
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        gatheringEvents.add("candidate");
        candidates.add(candidate);
        Consumer<RTCIceCandidate> to = trickleTo;
        if (to != null) {
            to.accept(candidate);
        }
    }

    @Override
    public void onIceGatheringStateChange(IceGatheringState state) {
        gatheringEvents.add("state:" + state);
    }

    @Override
    public void onIceGatheringComplete() {
        gatheringEvents.add("end");
        gatheringComplete.countDown();
        Consumer<RTCIceCandidate> to = trickleTo;
        if (to != null) {
            to.accept(new RTCIceCandidate("", null, null));
        }
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        RTCDataChannelListener l = remoteChannelListener;
        if (l != null) {
            channel.setListener(l);
        }
        remoteChannels.add(channel);
    }

    @Override
    public void onConnectionStateChange(PeerConnectionState state) {
        states.add(state);
        synchronized (stateMonitor) {
            stateMonitor.notifyAll();
        }
    }

    @Override
    public void onIceConnectionStateChange(IceConnectionState state) {
        iceStates.add(state);
    }

    @Override
    public void onSignalingStateChange(SignalingState state) {
        signalingStates.add(state);
    }

    @Override
    public void onNegotiationNeeded() {
        negotiationNeeded.incrementAndGet();
    }

    void awaitState(PeerConnectionState state) throws InterruptedException {
        awaitState(state, WAIT);
    }

    void awaitState(PeerConnectionState state, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (stateMonitor) {
            while (!states.contains(state)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("state " + state + " not reached within " + bound + "; saw " + states);
                }
                TimeUnit.NANOSECONDS.timedWait(stateMonitor, left);
            }
        }
    }

    RTCDataChannel awaitRemoteChannel() throws InterruptedException {
        RTCDataChannel c = remoteChannels.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no remote data channel within " + WAIT);
        }
        return c;
    }
}
