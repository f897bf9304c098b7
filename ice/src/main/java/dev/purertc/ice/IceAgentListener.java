package dev.purertc.ice;

import dev.purertc.sdp.IceCandidate;

/**
 * Events of an {@link IceAgent}. Calls for one agent never overlap and arrive in order; they run on the
 * thread that caused them (the caller of an {@link IceAgent} method, an ice4j thread, or the shared
 * consent timer), never while the agent holds a lock. Do not block in them.
 */
public interface IceAgentListener {

    /**
     * A local candidate to send to the peer; {@link IceCandidate#toCandidateString()} gives the trickle
     * form ({@code candidate:1 1 udp ...}). It carries a {@code ufrag} extension naming its credentials.
     */
    default void onLocalCandidate(IceCandidate candidate) {
    }

    /** Gathering for the current credentials is over (trickle end-of-candidates, RFC 8838 §4.4). */
    default void onEndOfCandidates() {
    }

    /** The connection state changed. */
    default void onStateChange(IceConnectionState state) {
    }
}
