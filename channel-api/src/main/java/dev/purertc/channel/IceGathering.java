package dev.purertc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.purertc.sdp.DataChannelNegotiation;
import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SessionDescription;

/**
 * What a connection has gathered, for descriptions that carry it (JSEP RFC 8829 §5.2.1, §5.3.1: once
 * candidates are known, the local description lists them, and says {@code a=end-of-candidates} when
 * gathering has finished) and for {@link IceGatheringState} with its change event.
 *
 * <p>This is what lets an application signal without trickle, as WHIP-style servers and single-POST
 * signaling do: wait for {@link IceGatheringState#COMPLETE} and send
 * {@link RTCPeerConnection#localDescription()}. Trickle keeps working beside it.
 *
 * <p>Threading: every method may be called from any thread; state changes are reported through the
 * notifier in the order they happen, while this object's monitor is held (the connection's notifier
 * only queues the event on its loop, so nothing runs inside the monitor).
 */
final class IceGathering {

    private final Consumer<IceGatheringState> notifier;
    private final List<IceCandidate> candidates = new ArrayList<>();
    private IceGatheringState state = IceGatheringState.NEW;

    /** @param notifier told of every state change, in order */
    IceGathering(Consumer<IceGatheringState> notifier) {
        this.notifier = notifier;
    }

    /** The ICE agent found a local candidate (possibly before any local description: pooled gathering). */
    synchronized void add(IceCandidate candidate) {
        candidates.add(candidate);
    }

    /** The local description is set and its candidates are about to be reported: {@code new} becomes {@code gathering}. */
    synchronized void begin() {
        if (state == IceGatheringState.NEW) {
            move(IceGatheringState.GATHERING);
        }
    }

    /** The end of candidates is about to be reported to the application: {@code complete}. */
    synchronized void finish() {
        if (state == IceGatheringState.NEW) {
            move(IceGatheringState.GATHERING);
        }
        if (state == IceGatheringState.GATHERING) {
            move(IceGatheringState.COMPLETE);
        }
    }

    /**
     * An ICE restart began gathering for new credentials (RFC 8445 §9): the old candidates are no longer
     * described and the state goes back to {@code gathering} (W3C WebRTC §5.6, "gathering" after restart).
     */
    synchronized void restart() {
        candidates.clear();
        if (state != IceGatheringState.GATHERING) {
            move(IceGatheringState.GATHERING);
        }
    }

    synchronized IceGatheringState state() {
        return state;
    }

    /**
     * {@code description} (this connection's own, as created by it) with the candidates gathered so far
     * as {@code a=candidate} lines, plus {@code a=end-of-candidates} once complete; null for null. Before
     * gathering has begun it is returned as it is.
     */
    synchronized RTCSessionDescription describe(RTCSessionDescription description) {
        if (description == null || state == IceGatheringState.NEW) {
            return description;
        }
        try {
            SessionDescription sd = SessionDescription.parse(description.sdp());
            SessionDescription complete = DataChannelNegotiation.withLocalCandidates(sd, candidates,
                    state == IceGatheringState.COMPLETE);
            return new RTCSessionDescription(description.type(), complete.toSdp());
        } catch (SdpParseException e) {
            // setLocalDescription parsed this very text already.
            throw new IllegalStateException("the local description no longer parses: " + e.getMessage(), e);
        }
    }

    private void move(IceGatheringState next) {
        state = next;
        notifier.accept(next);
    }
}
