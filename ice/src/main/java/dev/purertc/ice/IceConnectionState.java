package dev.purertc.ice;

/** The browser's {@code RTCIceConnectionState}, reported through {@link IceAgentListener#onStateChange}. */
public enum IceConnectionState {
    /** Created, no checks yet. */
    NEW,
    /** Connectivity checks are running. */
    CHECKING,
    /**
     * A usable pair was found and {@link IceAgent#transport()} is ready: the first valid pair, before
     * nomination (RFC 8445 §12.1), then the selected one. Checks may go on.
     */
    CONNECTED,
    /** Checks are over and the selected pair is final. */
    COMPLETED,
    /**
     * Checks failed, found no valid pair within {@link IceOptions#connectTimeout()}, or consent (RFC 7675)
     * expired. Terminal until {@link IceAgent#restart()}.
     */
    FAILED,
    /** No consent response for a while; may return to {@link #CONNECTED} or end in {@link #FAILED}. */
    DISCONNECTED,
    /** {@link IceAgent#close()} was called. Terminal. */
    CLOSED
}
