package dev.purertc.dtls;

/** Life cycle of a {@link DtlsTransport}. */
public enum DtlsState {
    /** Created, {@link DtlsTransport#start()} not yet called. */
    NEW,
    /** Handshake running. */
    CONNECTING,
    /** Handshake done; application data flows. */
    CONNECTED,
    /** Closed by {@link DtlsTransport#close()} or by the peer's close_notify. */
    CLOSED,
    /** Handshake or record processing failed; see the listener's failure or the handshake future. */
    FAILED
}
