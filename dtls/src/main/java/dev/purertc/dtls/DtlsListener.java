package dev.purertc.dtls;

import java.util.Arrays;

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

    /**
     * One decrypted application record, lent for the duration of the call: bytes {@code [offset, offset +
     * length)} of {@code buffer}, which the transport reuses for the next record once this returns. The
     * transport calls this method; a listener that copies into buffers of its own (a pool) overrides it and
     * saves an array per record. The default copies the record and calls {@link #onApplicationData(byte[])}.
     */
    default void onApplicationData(byte[] buffer, int offset, int length) {
        onApplicationData(Arrays.copyOfRange(buffer, offset, offset + length));
    }

    /** The peer sent close_notify; the transport answered with its own and is now closed. */
    default void onPeerClosed() {
    }

    /** The connection failed after the handshake (fatal alert received or raised, I/O error). */
    default void onFailed(Throwable cause) {
    }
}
