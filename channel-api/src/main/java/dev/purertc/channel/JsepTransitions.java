package dev.purertc.channel;

/**
 * The signaling-state machine of W3C WebRTC §4.3.1 (JSEP, RFC 8829 §3.2) without provisional answers:
 * which call is allowed in which state, and the state it leads to. The same machine runs the first
 * offer/answer and every later one (renegotiation, RFC 8829 §3.2), with rollback (§4.1.10.2). Every method
 * only computes: {@link RTCPeerConnection} checks first and changes its state only once the whole call
 * is known to succeed, so a refused call leaves the state as it was.
 *
 * <p>A call in the wrong state throws {@link IllegalStateException}, PureRTC's form of the browser's
 * {@code InvalidStateError}. Stateless and thread-safe.
 */
final class JsepTransitions {

    private JsepTransitions() {
    }

    /** createOffer is allowed in {@code stable} and {@code have-local-offer} (an offer may be re-created). */
    static void checkCreateOffer(SignalingState current) {
        if (current != SignalingState.STABLE && current != SignalingState.HAVE_LOCAL_OFFER) {
            throw refused("createOffer", current);
        }
    }

    /** createAnswer needs a remote offer: {@code have-remote-offer} only. */
    static void checkCreateAnswer(SignalingState current) {
        if (current != SignalingState.HAVE_REMOTE_OFFER) {
            throw refused("createAnswer", current);
        }
    }

    /** The state after setLocalDescription: an offer from stable or have-local-offer, an answer to a remote offer. */
    static SignalingState afterSetLocal(SignalingState current, RTCSessionDescription.Type type) {
        if (type == RTCSessionDescription.Type.OFFER) {
            if (current != SignalingState.STABLE && current != SignalingState.HAVE_LOCAL_OFFER) {
                throw refused("setLocalDescription(offer)", current);
            }
            return SignalingState.HAVE_LOCAL_OFFER;
        }
        if (current != SignalingState.HAVE_REMOTE_OFFER) {
            throw refused("setLocalDescription(answer)", current);
        }
        return SignalingState.STABLE;
    }

    /** The state after setRemoteDescription: an offer in stable, an answer to our offer. */
    static SignalingState afterSetRemote(SignalingState current, RTCSessionDescription.Type type) {
        if (type == RTCSessionDescription.Type.OFFER) {
            if (current != SignalingState.STABLE) {
                throw refused("setRemoteDescription(offer)", current);
            }
            return SignalingState.HAVE_REMOTE_OFFER;
        }
        if (current != SignalingState.HAVE_LOCAL_OFFER) {
            throw refused("setRemoteDescription(answer)", current);
        }
        return SignalingState.STABLE;
    }

    /**
     * The state after a rollback (RFC 8829 §4.1.10.2, W3C WebRTC §4.4.1.5): an offer not yet answered,
     * local or remote, is discarded and the connection returns to {@code stable}.
     */
    static SignalingState afterRollback(SignalingState current) {
        if (current != SignalingState.HAVE_LOCAL_OFFER && current != SignalingState.HAVE_REMOTE_OFFER) {
            throw refused("rollback", current);
        }
        return SignalingState.STABLE;
    }

    /**
     * W3C WebRTC §4.4.1.6 (setRemoteDescription, step "implicit rollback"): a remote offer that meets our
     * own unanswered offer (glare) first rolls ours back. The polite peer of the perfect-negotiation
     * pattern relies on it; the impolite one ignores the colliding offer instead.
     */
    static boolean rollsBackImplicitly(SignalingState current, RTCSessionDescription.Type type) {
        return type == RTCSessionDescription.Type.OFFER && current == SignalingState.HAVE_LOCAL_OFFER;
    }

    private static IllegalStateException refused(String call, SignalingState current) {
        return new IllegalStateException(call + " in signaling state " + current);
    }
}
