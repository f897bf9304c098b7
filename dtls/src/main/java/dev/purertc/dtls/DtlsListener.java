package dev.purertc.dtls;

/**
 * Events of a connected {@link DtlsTransport}. Handshake success and failure are reported through
 * the future of {@link DtlsTransport#start()}; this interface reports what happens afterwards.
 *
 * <p>Threading: {@link #onApplicationData} runs on the thread that called {@link DtlsTransport#feed}
 * (or, for records that arrived while the handshake was finishing, once on the handshake pool
 * thread), one call at a time per transport. Implementations must not block.
 */
public interface DtlsListener {

    /**
     * One decrypted application record. The array belongs to the listener.
     */
    void onApplicationData(byte[] data);

    /** The peer sent close_notify; the transport answered with its own and is now closed. */
    default void onPeerClosed() {
    }

    /** The connection failed after the handshake (fatal alert received or raised, I/O error). */
    default void onFailed(Throwable cause) {
    }
}
